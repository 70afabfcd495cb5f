"""Staff's "propose assignment": the best teams for every open problem at once, then approval."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.recommender import data
from marketplace.recommender.engine import get_engine
from marketplace.services import ServiceError
from marketplace.services.bids import OPEN_BIDS
from marketplace.services.matches import approve_direct
from marketplace.services.recommend import closest_project
from matching.assignment import assign
from models import Bid, Job, Match, MatchStatus, Problem, ProblemStatus, Team, TeamConflict, User
from models.base import utcnow


def open_problems(session: Session) -> list[Problem]:
    """Published problems with no proposed or approved match yet."""
    taken = select(Match.problem_id).where(Match.status.in_((MatchStatus.PROPOSED, MatchStatus.APPROVED)))
    return list(session.exec(select(Problem).where(Problem.status == ProblemStatus.PUBLISHED,
                                                   Problem.id.not_in(taken)).order_by(Problem.id)).all())


def open_bid_counts(session: Session, problem_ids) -> dict[int, int]:
    """Open bids per problem; approving a proposed pair declines them all."""
    if not problem_ids:
        return {}
    rows = session.exec(select(Bid.problem_id, sa.func.count()).where(
        Bid.problem_id.in_(list(problem_ids)), Bid.status.in_([s.value for s in OPEN_BIDS]))
        .group_by(Bid.problem_id)).all()
    return dict(rows)


def candidate_ranks(candidates: list) -> list[tuple[int, int]]:
    """Per (team, fit) candidate of a problem, in the same order: (its rank by fit, best first;
    the number of candidates)."""
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i][1])
    rank = {i: r for r, i in enumerate(order, 1)}
    return [(rank[i], len(candidates)) for i in range(len(candidates))]


def propose(*, session: Session, candidates_per_problem: int = 5) -> dict:
    """Affinities from the matcher, exclusions, capacities → the assignment with explanations."""
    matcher = get_engine().matcher(session, "teams")
    problems = open_problems(session)
    teams = {t.id: t for t in session.exec(select(Team)).all()}
    own = {(p.id, t.id) for p in problems for t in teams.values()
           if t.organisation_id and t.organisation_id == p.organisation_id}
    declared = session.exec(select(TeamConflict)).all()
    conflicts = own | {(p.id, c.team_id) for p in problems for c in declared if c.organisation_id == p.organisation_id}
    affinity, why, candidates, reasons, left_out = {}, {}, {}, {}, {}
    for problem in problems:
        ranked = matcher.rank(data.problem_query(problem), k=candidates_per_problem + 5)
        # Teams that would have been candidates but for a conflict, so staff see why they are missing.
        left_out[str(problem.id)] = [[m.id, round(m.score, 4), "own" if (problem.id, m.id) in own else "declared"]
                                     for m in ranked[:candidates_per_problem] if (problem.id, m.id) in conflicts]
        ranked = [m for m in ranked if (problem.id, m.id) not in conflicts][:candidates_per_problem] \
            + [m for m in ranked if (problem.id, m.id) in conflicts]
        affinity[problem.id] = {m.id: round(m.score, 4) for m in ranked}
        candidates[str(problem.id)] = [[m.id, round(m.score, 4)] for m in ranked
                                       if (problem.id, m.id) not in conflicts]
        for m in ranked:
            why[(problem.id, m.id)] = {"tags": m.shared_tags[:5], "item": closest_project(m),
                                       "sector": m.same_sector}
            if (problem.id, m.id) not in conflicts:
                reasons.setdefault(str(problem.id), {})[str(m.id)] = why[(problem.id, m.id)]
    capacity = {p.id: max(0, p.capacity_left or 0) for p in matcher.profiles}
    result = assign(affinity, capacity, candidates_per_problem=candidates_per_problem,
                    conflicts=conflicts)
    return {
        "pairs": [{"problem_id": p, "team_id": t, "score": s, **why[(p, t)]} for p, t, s in result.pairs],
        "unassigned": {str(p): reason for p, reason in result.unassigned.items()},
        "candidates": candidates, "total": result.total, "problems": len(problems),
        "why": reasons,         # every candidate's explanation, so the Why column can follow a swap
        "left_out": {p: rows for p, rows in left_out.items() if rows},
    }


def approve(*, session: Session, job: Job, selections: dict[int, int], actor: User) -> tuple[int, list[str]]:
    """Approve the kept pairs of a proposal, one audited match each; returns (done, problems).

    Each match records the fit of the team chosen (after any swap). A swap that would give a team
    more running projects than its capacity is refused for that pair. The proposal remembers the
    pairs it approved: they are never approved again, and the others (dropped or refused) stay
    on it, to be ticked on purpose."""
    fit = {(int(p), t): s for p, cands in job.result["candidates"].items() for t, s in cands}
    proposed = {pair["problem_id"]: pair["team_id"] for pair in job.result["pairs"]}
    approved = dict(job.result.get("approved_pairs") or {})
    done, skipped = 0, []
    for problem_id, team_id in selections.items():
        problem, team = session.get(Problem, problem_id), session.get(Team, team_id)
        if problem is None or team is None or str(problem_id) in approved:
            continue
        try:
            approve_direct(session=session, problem=problem, team=team, actor=actor,
                           score=fit.get((problem_id, team_id)),
                           swapped_from=proposed.get(problem_id) if proposed.get(problem_id) != team_id else None)
            done += 1
            approved[str(problem_id)] = team_id
        except ServiceError as exc:
            session.rollback()
            skipped.append(f"{problem.title}{_l(': ')}{exc}")
    if done:        # a try that approved nothing leaves the proposal's last approval as it was
        job = session.get(Job, job.id)
        job.result = {**job.result, "approved_at": utcnow().isoformat(), "approved_by": actor.id,
                      "approved_pairs": approved}
        session.add(job)
        session.commit()
    return done, skipped
