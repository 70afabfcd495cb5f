"""`python -m matching.evaluate`: a TREC run the reference scorer agrees with, clean failures."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests/data/zh-dev"
SCORER = ROOT.parent / "shared/eval/score.py"


@pytest.mark.slow
def test_cli_writes_a_run_the_reference_scorer_agrees_with(tmp_path):
    run = tmp_path / "dev.run"
    out = subprocess.run([sys.executable, "-m", "matching.evaluate", str(DEV), "--run", str(run)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    ours = json.loads(out.stdout.strip().splitlines()[-1])
    lines = run.read_text().splitlines()
    teams = sum(1 for _ in (DEV / "teams.jsonl").open())
    problems = sum(1 for _ in (DEV / "problems.jsonl").open())
    assert len(lines) == problems * min(100, teams)          # every team where there are fewer
    first = lines[0].split()
    assert first[1] == "Q0" and first[3] == "1" and len(first) == 6
    assert {"ndcg@10[zh-TW problems]", "ndcg@10[cross-language]"} <= set(ours)
    if SCORER.exists():   # the shared evaluation folder sits next to the project here and in CI
        ref = json.loads(subprocess.run([sys.executable, str(SCORER), str(DEV), str(run)],
                                        capture_output=True, text=True, check=True).stdout)
        for key in ("recall@10", "ndcg@10", "mrr"):
            assert ours[key] == pytest.approx(ref[key], abs=1e-4)
    assert ours["ndcg@10"] > 0.5   # far above chance on our own set


def test_cli_fails_with_one_readable_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "matching.evaluate", str(tmp_path / "nope"),
                          "--run", str(tmp_path / "x.run")], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "cannot read evaluation set" in out.stderr
