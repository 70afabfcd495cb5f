"""`python -m matching.evaluate SET_DIR --run RUN_FILE`: rank every team for every problem.

Writes a TREC run (problem_id Q0 team_id rank score tag; the top 100 teams per problem, all of
them where there are fewer) and prints recall@10, nDCG@10, MRR (and, for sets with expertise.tsv,
the pairwise loss) as JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from matching import datasets, models
from matching.embedder import Embedder
from matching.ranking import Matcher
from matching.vectors_cache import CachedEmbedder


def run(eval_set: datasets.EvalSet, matcher: Matcher, depth: int = 100) -> dict[str, dict[str, float]]:
    """Score every profile for every query; returns query id → {profile id: score} (top `depth`)."""
    matcher.fit(eval_set.profiles)
    vectors = matcher.query_vectors(eval_set.queries)
    out = {}
    for query, vector in zip(eval_set.queries, vectors, strict=True):
        ranked = matcher.rank(query, k=depth, query_vectors=vector)
        out[str(query.id)] = {str(m.id): m.score for m in ranked}
    return out


def write_trec(scores: dict[str, dict[str, float]], path: Path, tag: str) -> None:
    """Write the run in TREC format."""
    with path.open("w", encoding="utf-8") as fh:
        for qid, teams in scores.items():
            for rank, (tid, score) in enumerate(sorted(teams.items(), key=lambda kv: -kv[1]), 1):
                fh.write(f"{qid} Q0 {tid} {rank} {score:.6f} {tag}\n")


def report(eval_set: datasets.EvalSet, scores: dict[str, dict[str, float]]) -> dict:
    """The metrics of a run (plus per-language splits where the set marks languages)."""
    ranked = {q: sorted(t, key=lambda x: -t[x]) for q, t in scores.items()}
    out = datasets.metrics(ranked, eval_set.qrels)
    if eval_set.expertise:
        out["pairwise_loss"] = datasets.pairwise_loss(scores, eval_set.expertise)
    if eval_set.langs:
        out.update(language_report(eval_set, scores))
    return out


def language_report(eval_set: datasets.EvalSet, scores: dict[str, dict[str, float]]) -> dict:
    """nDCG@10 by problem language, and across languages: each problem ranked among the teams
    that write in the other language only, against the judgements of those teams."""
    lang = eval_set.langs
    ranked = {q: sorted(t, key=lambda x: -t[x]) for q, t in scores.items()}
    out = {}
    for problem_lang in sorted({lang.get(q) for q in eval_set.qrels} - {None}):
        subset = {q: r for q, r in eval_set.qrels.items() if lang.get(q) == problem_lang}
        out[f"ndcg@10[{problem_lang} problems]"] = datasets.metrics(ranked, subset)["ndcg@10"]
    for name, same in (("same-language", True), ("cross-language", False)):
        pool = {q: [t for t in r if (lang.get(t) == lang.get(q)) == same] for q, r in ranked.items()}
        judged = {q: {t: g for t, g in r.items() if (lang.get(t) == lang.get(q)) == same}
                  for q, r in eval_set.qrels.items()}
        judged = {q: r for q, r in judged.items() if any(g > 0 for g in r.values())}
        out[f"ndcg@10[{name}]"] = datasets.metrics(pool, judged)["ndcg@10"]
        out[f"n[{name}]"] = len(judged)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("set_dir")
    parser.add_argument("--run", required=True, help="where to write the TREC run file")
    parser.add_argument("--tag", default="hybrid")
    parser.add_argument("--model", default="",
                        help="sentence-transformers model name or path (a known one brings its chosen weights)")
    parser.add_argument("--weights", default="", help="JSON overriding fusion weights")
    parser.add_argument("--cache", default="", help="folder caching embeddings between runs")
    args = parser.parse_args(argv)
    try:
        eval_set = datasets.load(args.set_dir)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: cannot read evaluation set {args.set_dir}: {exc}", file=sys.stderr)
        return 2
    weights = models.weights_for(args.model)
    if args.weights:
        weights = replace(weights, **json.loads(args.weights))
    embedder = Embedder(args.model)
    if args.cache:
        embedder = CachedEmbedder(embedder, Path(args.cache))
    scores = run(eval_set, Matcher(embedder, weights))
    write_trec(scores, Path(args.run), args.tag)
    result = report(eval_set, scores)
    result["weights"] = asdict(weights)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
