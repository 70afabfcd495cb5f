"""Explained recommendations in both directions, similar problems and hybrid search."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlmodel import Session, select

from marketplace.i18n import current_locale, label
from marketplace.recommender import data
from marketplace.recommender.engine import get_engine
from marketplace.services.conflicts import conflicted_problems, conflicted_teams
from matching import dictionary, taxonomy
from matching.scoring import Match
from models import Bid, Invitation, PortfolioProject, Problem, ProblemStatus, Sector, Team


@dataclass
class Recommendation:
    """A recommended team (for a problem) or problem (for a team), with why."""

    obj: object
    score: float
    shared_tags: list[str] = field(default_factory=list)   # labels in the reader's language
    best_item: str = ""                                      # the best-matching portfolio project
    sector: str = ""                                         # the shared sector, when there is one
    invited: bool = False
    bid: bool = False

    @property
    def team(self):  # templates written for team recommendations read rec.team
        return self.obj


def _explain(match: Match, obj, sector_key: str | None) -> Recommendation:
    tax, locale = taxonomy.default(), current_locale()
    return Recommendation(
        obj=obj, score=round(match.score, 3),
        shared_tags=[tax.label(t, locale) for t in match.shared_tags][:5],
        best_item=closest_project(match),
        sector=label(Sector, sector_key) if match.same_sector and sector_key else "")


def closest_project(match: Match) -> str:
    """The title of a matched team's best item, when it is near enough to be a reason."""
    return match.best_item_title if match.best_item_similarity >= NEAREST_PROJECT_FLOOR else ""


def teams_for_problem(*, session: Session, problem: Problem, limit: int = 5) -> list[Recommendation]:
    """The teams that fit a problem best, each with its explanation; none that may not work for
    its organisation (its own teams, and teams that declared a conflict with it)."""
    matcher = get_engine().matcher(session, "teams")
    conflicted = conflicted_teams(session=session, organisation_id=problem.organisation_id)
    ranked = matcher.rank(data.problem_query(problem), k=limit, exclude=conflicted)
    teams = {t.id: t for t in session.exec(select(Team).where(Team.id.in_([m.id for m in ranked]))).all()}
    invited = set(session.exec(select(Invitation.team_id).where(Invitation.problem_id == problem.id)).all())
    bidders = set(session.exec(select(Bid.team_id).where(Bid.problem_id == problem.id)).all())
    out = []
    for m in ranked:
        rec = _explain(m, teams[m.id], problem.sector)
        rec.invited, rec.bid = m.id in invited, m.id in bidders
        out.append(rec)
    return out


def problems_for_team(*, session: Session, team: Team, limit: int = 10) -> list[Recommendation]:
    """Open problems that fit a team ("for you") and that it has not bid on yet, each with its
    explanation. A problem with no reason to give (no shared skill, no project of the team near
    it, another sector) is left out: it is the nearest of what is open, not a fit."""
    matcher = get_engine().matcher(session, "problems")
    projects = session.exec(select(PortfolioProject).where(PortfolioProject.team_id == team.id)).all()
    open_ids = set(session.exec(select(Problem.id).where(Problem.status == ProblemStatus.PUBLISHED)).all())
    bid_on = set(session.exec(select(Bid.problem_id).where(Bid.team_id == team.id)).all())
    closed = ({p.id for p in matcher.profiles} - open_ids) | bid_on | conflicted_problems(session=session, team=team)
    ranked = matcher.rank(data.team_query(team, list(projects)), k=3 * limit, exclude=closed)
    problems = {p.id: p for p in session.exec(select(Problem).where(Problem.id.in_([m.id for m in ranked]))).all()}
    out = [_explain(m, problems[m.id], problems[m.id].sector) for m in ranked if m.id in problems]
    # The problem is the matched profile here, so its best item is itself; name the team's own
    # project nearest to it instead.
    nearest = _nearest_projects(session=session, team=team, problems=matcher,
                                problem_ids=[rec.obj.id for rec in out])
    for rec in out:
        rec.best_item = nearest.get(rec.obj.id, "")
    return [rec for rec in out if rec.shared_tags or rec.best_item or rec.sector][:limit]


def _nearest_projects(*, session: Session, team: Team, problems, problem_ids: list[int]) -> dict[int, str]:
    """Per problem: the title of the team's portfolio project whose indexed vector is nearest,
    when it is near enough to be a reason."""
    items, mine = get_engine().matcher(session, "teams").vectors(team.id)
    titled = [i for i, item in enumerate(items) if item.title]   # projects; the summary has no title
    if not titled:
        return {}
    out = {}
    for problem_id in problem_ids:
        _, theirs = problems.vectors(problem_id)
        if len(theirs):
            similarity = mine[titled] @ theirs[0]
            best = int(np.argmax(similarity))
            if similarity[best] >= NEAREST_PROJECT_FLOOR:
                out[problem_id] = items[titled[best]].title
    return out


# Below this similarity a team's nearest project is no reason to offer a problem (or the team): on
# the demo data (25 teams' top five) the pairs under 0.35 were mostly unrelated (a bearing monitor
# beside a plastics sorter); a review of a bakery problem then found furnace scheduling and dust
# alarms at 0.36-0.39, while the related pairs seen lay at 0.44 and above.
NEAREST_PROJECT_FLOOR = 0.40


def similar_problems(*, session: Session, problem: Problem, limit: int = 4) -> list[Recommendation]:
    """Other public problems most like this one, nearest first, each with its status. (Putting
    open ones first was tried: scores between Chinese problems are too close together to tell a
    near-duplicate from a loosely related open problem, so loosely related ones came first.)"""
    matcher = get_engine().matcher(session, "problems")
    ranked = matcher.rank(data.problem_query(problem), k=limit, exclude={problem.id})
    problems = {p.id: p for p in session.exec(select(Problem).where(Problem.id.in_([m.id for m in ranked]))).all()}
    return [_explain(m, problems[m.id], problem.sector) for m in ranked if m.id in problems]


def search_problem_ids(*, session: Session, text: str, limit: int = 200) -> list[int]:
    """Public problems ranked by the hybrid matcher for a typed query, relevant ones only (see search_ids)."""
    return search_ids(get_engine().matcher(session, "problems"), text, limit)


def search_team_ids(*, session: Session, text: str, limit: int = 200) -> list[int]:
    """Teams ranked by the hybrid matcher for a typed query (their names, summaries, skills and
    projects), relevant ones only, by the same rule as problems (see search_ids)."""
    return search_ids(get_engine().matcher(session, "teams"), text, limit)


def search_ids(matcher, text: str, limit: int = 200) -> list:
    """The matcher's profiles ranked for a typed query, relevant ones only.

    A result holds most of the typed words (both of two; its taxonomy terms count in both
    languages), or most of their translation (the words the main names of every skill named by
    the search share: "forecasting" → 預測, "anomaly detection" → 異常偵測), or one of those
    skills or the skills below them as a tag ("LLM" → RAG → Document Q&A), or holds most of the
    typed words as typed or as the dictionary translates them ("dust" → 粉塵), or is clearly close
    in meaning. A word that only appears in a few of the skills' many names (品質, 需求 for
    "forecasting") is no reason to show a problem. Words in a problem's title (a team's name)
    count most.
    """
    from matching.profiles import Query

    tax = matcher.tax
    related = tax.containing(text) if len(text) <= 60 else []
    wide = " ".join([text, *(f"{tax.terms[k].en} {tax.terms[k].zh}" for k in related)])
    skills = tax.with_children(set(tax.tag(text)) | set(related))
    parts = matcher.component_scores(Query(id="search", text=wide, title=text, tags=skills))
    in_title = matcher.name_coverage(text)
    relevant = (matcher.coverage(text) >= SEARCH_WORD_SHARE) | (parts["tags"] > 0) \
        | (parts["dense"] >= SEARCH_DENSE_FLOOR)
    for translated in tax.translations(related):        # one per language
        relevant |= matcher.coverage(translated) >= SEARCH_WORD_SHARE
        in_title = np.maximum(in_title, matcher.name_coverage(translated) >= SEARCH_WORD_SHARE)
    held, translated_only, titled = _words_held(matcher, text)
    relevant |= held >= SEARCH_WORD_SHARE
    in_title = np.maximum(in_title, titled >= SEARCH_WORD_SHARE)
    total = parts["dense"] + 2.0 * parts["lexical"] + parts["tags"] + in_title + translated_only
    order = [i for i in (-total).argsort() if relevant[i]][:limit]
    return [matcher.profiles[i].id for i in order]


def _words_held(matcher, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per problem: the share of the typed words it holds as typed or translated by the dictionary
    ("bread" as 麵包, 預測 as "forecast"), the share held in translation only, and the share its
    title holds either way. Words are held whole (every character pair of a Chinese word)."""
    words = dictionary.default().translate(text) if len(text) <= 60 else []
    n = len(matcher.profiles)
    held, translated, titled = np.zeros(n), np.zeros(n), np.zeros(n)
    for word, translations in words:
        as_typed = matcher.coverage(word) >= 1.0
        other = np.zeros(n, dtype=bool)
        title = matcher.name_coverage(word) >= 1.0
        for translation in translations:
            other |= matcher.coverage(translation) >= 1.0
            title |= matcher.name_coverage(translation) >= 1.0
        held += as_typed | other
        translated += other & ~as_typed
        titled += title
    count = max(1, len(words))
    return held / count, translated / count, titled / count


# Share of the typed words (Chinese as character pairs) a problem must hold to count as a match.
SEARCH_WORD_SHARE = 0.6
# Dense similarity (text and title averaged, top-k aggregated) above which a problem counts as a
# match for a typed query even without a shared word; below it, results are noise.
SEARCH_DENSE_FLOOR = 0.45
