"""`python -m bench`: vector search, encoding throughput, tagging and recommendation latency, as tables.

Every figure of a table is measured in the same run, side by side with its baseline (numpy
exact search for the index), so the ratios hold on whatever machine runs it.
"""
from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np


def table(rows: list[dict], title: str) -> str:
    """A plain-text table."""
    if not rows:
        return f"\n{title}\n(no rows)\n"
    cols = list(rows[0])
    widths = {c: max(len(str(c)), *(len(str(r.get(c, ""))) for r in rows)) for c in cols}
    lines = [title, "  ".join(str(c).ljust(widths[c]) for c in cols),
             "  ".join("-" * widths[c] for c in cols)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in cols) for r in rows]
    return "\n" + "\n".join(lines) + "\n"


def demo_vectors() -> np.ndarray:
    """Real embeddings: the demo data's problems and team texts, plus the evaluation sets' items."""
    from bench.latency import problem_queries
    from marketplace.seed.data import load_teams
    from matching.embedder import Embedder
    from matching.profiles import bridge
    from matching.taxonomy import default

    texts = [q.text for q in problem_queries()]
    texts += [p["title"] + "\n" + p["summary"] for t in load_teams() for p in t["portfolio"]]
    shared = Path(__file__).resolve().parents[2] / "shared" / "eval"
    for name in ("stackexchange-dba", "reviewer-goldstandard", "stackexchange-android"):
        path = shared / name / "teams.jsonl"
        if path.exists():
            texts += [item for line in path.open() for item in json.loads(line).get("items", [])]
    dense = [bridge(t, default())[0] or t for t in texts]
    return Embedder().encode_passages(dense, batch_size=64)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--skip", default="", help="comma list of: vectors,real,encoding,tagging,latency")
    parser.add_argument("--out", default="bench/results")
    parser.add_argument("--models", default="all-MiniLM-L6-v2",
                        help="comma list of models whose recommendation latency to measure")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    results: dict = {"machine": {"python": platform.python_version(), "cpu": platform.processor() or
                                 platform.machine(), "cores": __import__("os").cpu_count()},
                     "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    if "vectors" not in skip:
        from bench.vectors import synthetic_rows

        results["vectors"] = synthetic_rows([int(s) for s in args.sizes.split(",")])
        print(table(results["vectors"], "Vector search: our index vs numpy exact (k=10)"), flush=True)
    if "real" not in skip:
        from bench.vectors import real_rows

        results["real"] = real_rows(demo_vectors(), "real embeddings")
        print(table(results["real"], "Vector search on real embeddings (demo + evaluation texts)"), flush=True)
    if "encoding" not in skip:
        from bench.encoding import rows
        from bench.latency import problem_queries
        from marketplace.seed.data import load_teams
        from matching.profiles import bridge
        from matching.taxonomy import default

        raw = [q.text for q in problem_queries()] + [p["title"] + "\n" + p["summary"]
                                                    for t in load_teams() for p in t["portfolio"]]
        bridged = [bridge(t, default())[0] or t for t in raw]
        results["encoding"] = rows({"as the app embeds them": bridged, "full demo texts": raw})
        print(table(results["encoding"], "Encoding throughput (demo problem texts)"), flush=True)
    if "tagging" not in skip:
        from bench.latency import problem_queries
        from bench.tagging import rows as tagging_rows
        from marketplace.seed.data import load_teams
        from matching.taxonomy import default
        from matching.text import language

        texts = [q.text for q in problem_queries()] + [p["title"] + "\n" + p["summary"]
                                                      for t in load_teams() for p in t["portfolio"]]
        groups = {"demo, Chinese": [t for t in texts if language(t) == "zh-TW"],
                  "demo, English": [t for t in texts if language(t) == "en"]}
        results["tagging"] = tagging_rows(groups, default())
        print(table(results["tagging"], "Taxonomy tagging: the tagger vs a plain scan"), flush=True)
    if "latency" not in skip:
        from bench.latency import recommendation_latency

        results["latency"] = [recommendation_latency(args.teams, model=m) for m in args.models.split(",")]
        print(table(results["latency"], "One recommendation: encode + search + rerank"), flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
