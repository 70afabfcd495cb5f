"""Evaluation sets on disk (problems.jsonl, teams.jsonl, qrels.tsv[, expertise.tsv]) and metrics."""
from __future__ import annotations

import collections
import itertools
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from matching.profiles import Profile, ProfileItem, Query


@dataclass
class EvalSet:
    name: str
    queries: list[Query]
    profiles: list[Profile]
    qrels: dict[str, dict[str, int]]
    expertise: dict[str, dict[str, float]] | None
    langs: dict[str, str]          # id → language, where the set says


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _tsv(path: Path, cast) -> dict[str, dict[str, object]]:
    table: dict[str, dict[str, object]] = collections.defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            a, b, value = line.rstrip("\n").split("\t")
            table[a][b] = cast(value)
    return dict(table)


def load(directory: str | Path) -> EvalSet:
    """Read a set; `items` fall back to `text`, extra fields (sector, lang) are used when present."""
    directory = Path(directory)
    problems, teams = _jsonl(directory / "problems.jsonl"), _jsonl(directory / "teams.jsonl")
    queries = [Query(id=str(p["id"]), text=f"{p.get('title', '')}\n{p.get('text', '')}".strip(),
                     title=p.get("title", ""), sector=p.get("sector")) for p in problems]
    profiles = [Profile(id=str(t["id"]), name=t.get("name", ""),
                        items=[ProfileItem(key=str(i), text=text, title=text.split("\n")[0][:80])
                               for i, text in enumerate(t.get("items") or [t.get("text", "")])],
                        sectors=set(t.get("sectors") or ([t["sector"]] if t.get("sector") else [])))
                for t in teams]
    langs = {str(x["id"]): x["lang"] for x in problems + teams if "lang" in x}
    expertise_path = directory / "expertise.tsv"
    return EvalSet(directory.name, queries, profiles, _tsv(directory / "qrels.tsv", int),
                   _tsv(expertise_path, float) if expertise_path.exists() else None, langs)


def metrics(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int = 10) -> dict:
    """recall@k, nDCG@k (gain 2^g − 1) and MRR, as the reference scorer computes them."""
    rec, ndcg, rr = [], [], []
    for p, rel in qrels.items():
        relevant = {t for t, g in rel.items() if g > 0}
        if not relevant:
            continue
        run = ranked.get(p, [])
        rec.append(len(relevant & set(run[:k])) / len(relevant))
        dcg = sum((2 ** rel.get(t, 0) - 1) / math.log2(i + 2) for i, t in enumerate(run[:k]))
        ideal = sorted(rel.values(), reverse=True)[:k]
        idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg.append(dcg / idcg)
        rr.append(next((1 / (i + 1) for i, t in enumerate(run) if t in relevant), 0.0))
    n = len(rec)
    return {"n": n, f"recall@{k}": round(sum(rec) / n, 4) if n else 0.0,
            f"ndcg@{k}": round(sum(ndcg) / n, 4) if n else 0.0, "mrr": round(sum(rr) / n, 4) if n else 0.0}


def pairwise_loss(scores: dict[str, dict[str, float]], expertise: dict[str, dict[str, float]]) -> float:
    """Stelmakh et al.'s weighted pairwise loss (lower is better); expertise is problem → team."""
    by_team: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for p, teams in expertise.items():
        for t, e in teams.items():
            by_team[t][p] = e
    err = total = 0.0
    for t, rated in by_team.items():
        for (p1, e1), (p2, e2) in itertools.combinations(rated.items(), 2):
            if e1 == e2:
                continue
            if e1 < e2:
                p1, e1, p2, e2 = p2, e2, p1, e1
            s1, s2 = scores.get(p1, {}).get(t, -math.inf), scores.get(p2, {}).get(t, -math.inf)
            total += e1 - e2
            err += (e1 - e2) if s1 < s2 else ((e1 - e2) / 2 if s1 == s2 else 0)
    return round(err / total, 4) if total else float("nan")


_TAG_LIST = re.compile(r"\s*\[[^\]]*\]\s*$")


def held_out_items(eval_set: EvalSet, folds: int = 5, seed: int = 0) -> list[EvalSet]:
    """A larger development set made from a set's profiles alone: each distinct item text becomes
    a query whose relevant profiles are those that hold it, asked of the profiles without it.

    Distinct texts are split into `folds` groups; each fold removes its group from every profile,
    so each query is answered by what the profiles hold besides it. A trailing "[tag, ...]" list
    (StackExchange items carry their question's tags; a new question does not) is left out of the
    query text.
    """
    texts = sorted({item.text for p in eval_set.profiles for item in p.items})
    order = np.random.default_rng(seed).permutation(len(texts))
    out = []
    for f in range(folds):
        chosen = {texts[i] for i in order[f::folds]}
        profiles = [replace(p, tags=set(), items=[i for i in p.items if i.text not in chosen])
                    for p in eval_set.profiles]
        qid = {t: f"held-{f}-{k}" for k, t in enumerate(sorted(chosen))}
        qrels: dict[str, dict[str, int]] = collections.defaultdict(dict)
        for p in eval_set.profiles:
            for item in p.items:
                if item.text in chosen:
                    qrels[qid[item.text]][str(p.id)] = 1
        queries = [Query(id=qid[t], text=_TAG_LIST.sub("", t), title=_TAG_LIST.sub("", t)) for t in sorted(chosen)]
        out.append(EvalSet(f"{eval_set.name}-held-out-{f}", queries,
                           [p for p in profiles if p.items], dict(qrels), None, {}))
    return out
