"""Turn teams and problems into the matching library's profiles and queries."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from matching import taxonomy
from matching.profiles import Profile, ProfileItem, Query
from models import Match, MatchStatus, PortfolioProject, Problem, ProblemStatus, Team

ACTIVE = (ProblemStatus.MATCHED, ProblemStatus.IN_PROGRESS, ProblemStatus.DELIVERED)


def data_kind_terms(kinds) -> list[str]:
    """The taxonomy terms of a problem's ticked data kinds (time_series → time_series_data)."""
    tax = taxonomy.default()
    keys = ("documents" if kind == "document" else f"{kind}_data" for kind in kinds or ())
    return [key for key in keys if key in tax]


def problem_text(problem: Problem) -> str:
    """Everything a problem says about the need, title first, and the kinds of data it ticked
    named in both languages."""
    tax = taxonomy.default()
    kinds = "; ".join(f"{tax.label(k, 'zh_TW')} / {tax.label(k, 'en')}"
                      for k in data_kind_terms(problem.data_kinds))
    parts = [problem.title, problem.context, problem.pain, problem.outcome, problem.kpi,
             problem.data_volume, problem.data_format, kinds, problem.constraints]
    return "\n".join(p for p in parts if p)


def team_summary(team: Team) -> str:
    """A team's self-description with its skills named in both languages."""
    tax = taxonomy.default()
    skills = "; ".join(f"{tax.label(k, 'en')} / {tax.label(k, 'zh_TW')}" for k in team.skills)
    extra = "; ".join(team.extra_skills)
    return "\n".join(p for p in (team.name, team.name_en, team.description, skills, extra) if p)


def team_items(team: Team, projects: list[PortfolioProject]) -> list[ProfileItem]:
    """The texts a team is matched on: its summary and each portfolio project."""
    items = [ProfileItem("about", team_summary(team), title="")]
    items += [ProfileItem(f"p{p.id}", f"{p.title}\n{p.summary}", title=p.title) for p in projects]
    return items


def problem_items(problem: Problem) -> list[ProfileItem]:
    """A problem is one text when teams look for problems."""
    return [ProfileItem("text", problem_text(problem), title=problem.title)]


def load_teams(session: Session) -> list[tuple[Team, list[PortfolioProject]]]:
    """Every open team with its portfolio (a closed team is neither recommended nor proposed)."""
    teams = session.exec(select(Team).where(Team.closed_at.is_(None)).order_by(Team.id)).all()
    projects: dict[int, list[PortfolioProject]] = {}
    for p in session.exec(select(PortfolioProject).order_by(PortfolioProject.id)).all():
        projects.setdefault(p.team_id, []).append(p)
    return [(t, projects.get(t.id, [])) for t in teams]


def team_load(session: Session) -> dict[int, int]:
    """Running projects per team."""
    return dict(session.exec(
        select(Match.team_id, sa.func.count()).join(Problem, Problem.id == Match.problem_id)
        .where(Match.status == MatchStatus.APPROVED, Problem.status.in_(ACTIVE))
        .group_by(Match.team_id)).all())


def team_profile(team: Team, items: list[ProfileItem], load: int) -> Profile:
    """A team as the ranker sees it."""
    return Profile(id=team.id, items=items, tags=set(team.skills), sectors=set(team.sectors),
                   capacity_left=team.capacity - load, name=team.name)


def problem_profile(problem: Problem, items: list[ProfileItem]) -> Profile:
    """A problem as the ranker sees it (teams looking for work)."""
    return Profile(id=problem.id, items=items, tags=set(problem.tags), sectors={problem.sector},
                   name=problem.title)


def problem_query(problem: Problem) -> Query:
    """A problem looking for teams."""
    return Query(id=problem.id, text=problem_text(problem), title=problem.title,
                 tags=set(problem.tags), sector=problem.sector)


def team_query(team: Team, projects: list[PortfolioProject]) -> Query:
    """A team looking for problems: everything it says about itself."""
    text = "\n".join(i.text for i in team_items(team, projects))
    return Query(id=team.id, text=text, title=team_summary(team), tags=set(team.skills),
                 sectors=set(team.sectors))
