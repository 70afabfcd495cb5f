"""Assignment as min-cost flow: optimal, capacity-bound, candidate-limited, conflict-free."""
from __future__ import annotations

import pytest

from matching.assignment import InfeasibleAssignment, assign


def test_optimal_not_greedy():
    affinity = {"p1": {"A": 0.9, "B": 0.8}, "p2": {"A": 0.85, "B": 0.1}}
    result = assign(affinity, {"A": 1, "B": 1})
    assert sorted(result.pairs) == [("p1", "B", 0.8), ("p2", "A", 0.85)]
    assert result.total == pytest.approx(1.65)   # greedy would give 0.9 + 0.1


def test_capacity_and_candidates_per_problem():
    affinity = {f"p{i}": {"A": 0.9 - i / 100, "B": 0.5, "C": 0.1} for i in range(4)}
    result = assign(affinity, {"A": 2, "B": 1, "C": 5}, candidates_per_problem=2)
    teams = [t for _, t, _ in result.pairs]
    assert teams.count("A") == 2 and teams.count("B") == 1 and "C" not in teams
    assert len(result.unassigned) == 1


def test_conflicts_are_excluded_with_a_reason():
    affinity = {"p1": {"A": 0.9}, "p2": {"A": 0.2, "B": 0.3}}
    result = assign(affinity, {"A": 2, "B": 1}, conflicts={("p1", "A"), ("p2", "A")})
    assert result.pairs == [("p2", "B", 0.3)]
    assert result.unassigned["p1"] == "conflicts"


def test_require_all_explains_what_is_infeasible():
    affinity = {"p1": {"A": 0.9}, "p2": {"A": 0.8}, "p3": {}}
    with pytest.raises(InfeasibleAssignment) as err:
        assign(affinity, {"A": 1}, require_all=True)
    message = str(err.value)
    assert "2 problem(s) cannot get a team" in message and "p3: no candidate teams" in message


def test_bad_parameters_are_refused():
    with pytest.raises(InfeasibleAssignment):
        assign({}, {"A": -1})
    with pytest.raises(InfeasibleAssignment):
        assign({}, {}, candidates_per_problem=0)
