"""Propose teams for many problems at once: maximise total affinity as a min-cost flow.

source → problem (capacity `teams_per_problem`) → team (only its k best candidates, no conflicts)
→ sink (capacity = the team's free capacity). networkx's max_flow_min_cost first places as many
pairs as the capacities allow, then picks the placement with the highest total affinity.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

SCALE = 10_000  # network simplex wants integer costs

# Why a problem got no team; the codes are stable, the texts are for logs and errors.
REASONS = {
    "no_candidates": "no candidate teams",
    "conflicts": "every candidate team has a conflict of interest",
    "no_capacity": "its candidate teams have no free capacity",
    "capacity_taken": "its candidate teams' capacity went to better-matching problems",
}


class InfeasibleAssignment(Exception):
    """The inputs cannot produce the assignment asked for; the message says why."""


@dataclass
class AssignmentResult:
    pairs: list[tuple[object, object, float]]          # (problem, team, affinity)
    unassigned: dict[object, str] = field(default_factory=dict)  # problem → reason code
    total: float = 0.0


def assign(
    affinity: dict[object, dict[object, float]], capacity: dict[object, int], *,
    candidates_per_problem: int = 5, teams_per_problem: int = 1,
    conflicts: set[tuple[object, object]] | None = None, require_all: bool = False,
) -> AssignmentResult:
    """Pairs maximising total affinity under capacities, candidate limits and exclusions.

    affinity: problem → {team: score}; capacity: team → free project slots; conflicts: excluded
    (problem, team) pairs (same organisation, declared conflicts of interest).
    """
    if candidates_per_problem < 1 or teams_per_problem < 1:
        raise InfeasibleAssignment("candidates and teams per problem must be at least 1")
    if any(c < 0 for c in capacity.values()):
        raise InfeasibleAssignment("a team's capacity cannot be negative")
    conflicts = conflicts or set()
    graph = nx.DiGraph()
    eligible: dict[object, list[object]] = {}
    reasons: dict[object, str] = {}
    for problem, scores in affinity.items():
        allowed = [(t, s) for t, s in scores.items() if (problem, t) not in conflicts and t in capacity]
        if not allowed:
            reasons[problem] = "conflicts" if scores else "no_candidates"
            continue
        allowed.sort(key=lambda ts: -ts[1])
        top = allowed[:candidates_per_problem]
        if all(capacity.get(t, 0) == 0 for t, _ in top):
            reasons[problem] = "no_capacity"
        eligible[problem] = [t for t, _ in top]
        graph.add_edge("source", ("p", problem), capacity=teams_per_problem, weight=0)
        for team, score in top:
            graph.add_edge(("p", problem), ("t", team), capacity=1, weight=-round(score * SCALE))
    for team, free in capacity.items():
        if free > 0 and graph.has_node(("t", team)):
            graph.add_edge(("t", team), "sink", capacity=free, weight=0)
    pairs: list[tuple[object, object, float]] = []
    if graph.has_node("source") and graph.has_node("sink"):
        flow = nx.max_flow_min_cost(graph, "source", "sink")
        for problem, teams in eligible.items():
            for team in teams:
                if flow.get(("p", problem), {}).get(("t", team), 0) > 0:
                    pairs.append((problem, team, affinity[problem][team]))
    placed = {p for p, _, _ in pairs}
    for problem in affinity:
        if problem not in placed and problem not in reasons:
            reasons[problem] = "capacity_taken"
    if require_all and reasons:
        detail = "; ".join(f"{p}: {REASONS[why]}" for p, why in list(reasons.items())[:5])
        more = f" (and {len(reasons) - 5} more)" if len(reasons) > 5 else ""
        raise InfeasibleAssignment(f"{len(reasons)} problem(s) cannot get a team — {detail}{more}")
    pairs.sort(key=lambda x: -x[2])
    return AssignmentResult(pairs, reasons, round(sum(s for _, _, s in pairs), 6))
