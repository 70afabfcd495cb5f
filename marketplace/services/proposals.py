"""Staff's "propose assignment": the best teams for every open problem at once, then approval."""
from __future__ import annotations

from sqlmodel import Session, select

from marketplace.recommender import data
from marketplace.recommender.engine import get_engine
from marketplace.services import ServiceError
from marketplace.services.matches import approve_direct
from matching.assignment import assign
from models import Match, MatchStatus, Problem, ProblemStatus, Team, TeamConflict, User


def open_problems(session: Session) -> list[Problem]:
    """Published problems with no proposed or approved match yet."""
    taken = select(Match.problem_id).where(Match.status.in_((MatchStatus.PROPOSED, MatchStatus.APPROVED)))
    return list(session.exec(select(Problem).where(Problem.status == ProblemStatus.PUBLISHED,
                                                   Problem.id.not_in(taken)).order_by(Problem.id)).all())


def propose(*, session: Session, candidates_per_problem: int = 5) -> dict:
    """Affinities from the matcher, exclusions, capacities → the assignment with explanations."""
    matcher = get_engine().matcher(session, "teams")
    problems = open_problems(session)
    teams = {t.id: t for t in session.exec(select(Team)).all()}
    conflicts = {(p.id, t.id) for p in problems for t in teams.values()
                 if t.organisation_id and t.organisation_id == p.organisation_id}
    declared = session.exec(select(TeamConflict)).all()
    conflicts |= {(p.id, c.team_id) for p in problems for c in declared if c.organisation_id == p.organisation_id}
    affinity, why, candidates = {}, {}, {}
    for problem in problems:
        ranked = matcher.rank(data.problem_query(problem), k=candidates_per_problem + 5)
        ranked = [m for m in ranked if (problem.id, m.id) not in conflicts][:candidates_per_problem] \
            + [m for m in ranked if (problem.id, m.id) in conflicts]
        affinity[problem.id] = {m.id: round(m.score, 4) for m in ranked}
        candidates[str(problem.id)] = [[m.id, round(m.score, 4)] for m in ranked
                                       if (problem.id, m.id) not in conflicts]
        for m in ranked:
            why[(problem.id, m.id)] = {"tags": m.shared_tags[:5], "item": m.best_item_title,
                                       "sector": m.same_sector}
    capacity = {p.id: max(0, p.capacity_left or 0) for p in matcher.profiles}
    result = assign(affinity, capacity, candidates_per_problem=candidates_per_problem,
                    conflicts=conflicts)
    return {
        "pairs": [{"problem_id": p, "team_id": t, "score": s, **why[(p, t)]} for p, t, s in result.pairs],
        "unassigned": {str(p): reason for p, reason in result.unassigned.items()},
        "candidates": candidates, "total": result.total, "problems": len(problems),
    }


def approve(*, session: Session, selections: dict[int, int], scores: dict[int, float],
            actor: User) -> tuple[int, list[str]]:
    """Approve the kept pairs of a proposal, one audited match each; returns (done, problems)."""
    done, skipped = 0, []
    for problem_id, team_id in selections.items():
        problem, team = session.get(Problem, problem_id), session.get(Team, team_id)
        if problem is None or team is None:
            continue
        try:
            approve_direct(session=session, problem=problem, team=team, actor=actor,
                           score=scores.get(problem_id))
            done += 1
        except ServiceError as exc:
            session.rollback()
            skipped.append(f"{problem.title}: {exc}")
    return done, skipped
