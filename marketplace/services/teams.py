"""Team profiles: the editor's writes, members, portfolio, and companies' invitations."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, NotAllowed, ServiceError
from marketplace.services.audit import record
from marketplace.services.bids import OPEN_BIDS, company_users, has_conflict, team_users
from marketplace.services.notify import notify
from matching import taxonomy
from models import (
    Bid,
    Invitation,
    Organisation,
    PortfolioProject,
    Problem,
    ProblemStatus,
    Team,
    TeamMember,
    User,
)
from models.base import utcnow

# The matcher adds up a team's best texts with falling weights; a cap keeps a padded portfolio of
# loosely related projects from outweighing a few strong ones.
MAX_PORTFOLIO = 12

PROFILE_FIELDS = ("name", "name_en", "affiliation_type", "affiliation", "region", "description",
                  "language", "capacity", "sectors")


def reindex_teams(session: Session) -> None:
    """Publish a new teams index once this transaction commits."""
    from marketplace.services.jobs import request_publish

    request_publish(session=session, name="teams")


def _own_team(actor: User, team_id: int) -> None:
    if actor.team_id != team_id:
        raise NotAllowed(_l("This profile belongs to another team."))


def split_skills(text: str) -> tuple[list[str], list[str]]:
    """Comma-separated skill names (zh or en) → (taxonomy keys, free additions).

    A name the taxonomy knows as an alias only (YOLO for object detection) gives its term and is
    kept as typed too, so the team's own, often more precise, word does not vanish."""
    tax = taxonomy.default()
    keys, extra = [], []
    for raw in text.replace("、", ",").replace("，", ",").split(","):
        name = raw.strip()
        if not name:
            continue
        key = tax.lookup(name) or (name if name in tax else None)
        if key and key not in keys:
            keys.append(key)
        term = tax.terms.get(key) if key else None
        own_word = term is None or name.lower() not in {term.zh.lower(), term.en.lower(), key}
        if own_word and name[:60] not in extra:
            extra.append(name[:60])
    return keys, extra


def update_profile(*, session: Session, team: Team, actor: User, fields: dict, skills_text: str) -> Team:
    """Save the profile editor's main form."""
    _own_team(actor, team.id)
    for key in PROFILE_FIELDS:
        setattr(team, key, fields[key])
    team.skills, team.extra_skills = split_skills(skills_text)
    team.updated_at = utcnow()
    session.add(team)
    record(session=session, actor=actor, action="team.updated", obj_type="team", obj_id=team.id)
    reindex_teams(session)
    session.commit()
    return team


def add_member(*, session: Session, team_id: int, actor: User, name: str, role: str,
               cert_level: str) -> TeamMember:
    """Add a person to the actor's team."""
    _own_team(actor, team_id)
    member = TeamMember(team_id=team_id, name=name.strip(), role=role.strip(), cert_level=cert_level)
    session.add(member)
    session.flush()
    record(session=session, actor=actor, action="team.member_added", obj_type="team", obj_id=team_id)
    session.commit()
    return member


def add_project(*, session: Session, team_id: int, actor: User, title: str, summary: str,
                sector: str | None, year: int | None) -> PortfolioProject:
    """Add a past project to the actor's team portfolio (at most MAX_PORTFOLIO of them)."""
    _own_team(actor, team_id)
    held = session.exec(select(sa.func.count()).select_from(PortfolioProject)
                        .where(PortfolioProject.team_id == team_id)).one()
    if held >= MAX_PORTFOLIO:
        raise ServiceError(_l("A portfolio holds at most %(n)d projects. Remove one before adding another.",
                              n=MAX_PORTFOLIO))
    titles = session.exec(select(PortfolioProject.title).where(PortfolioProject.team_id == team_id)).all()
    if " ".join(title.split()).casefold() in {" ".join(t.split()).casefold() for t in titles}:
        raise Conflict(_l("Your portfolio already holds a project with this title."))
    project = PortfolioProject(team_id=team_id, title=title.strip(), summary=summary.strip(),
                               sector=sector or None, year=year)
    session.add(project)
    session.flush()
    record(session=session, actor=actor, action="team.project_added", obj_type="team", obj_id=team_id)
    reindex_teams(session)
    session.commit()
    return project


def remove_item(*, session: Session, item: TeamMember | PortfolioProject, actor: User) -> None:
    """Remove a member or a portfolio project of the actor's own team."""
    _own_team(actor, item.team_id)
    if isinstance(item, TeamMember):
        _drop_from_open_bids(session, item, actor)
    session.delete(item)
    record(session=session, actor=actor, action=f"team.{type(item).__name__.lower()}_removed",
           obj_type="team", obj_id=item.team_id)
    if isinstance(item, PortfolioProject):
        reindex_teams(session)
    session.commit()


def _drop_from_open_bids(session: Session, member: TeamMember, actor: User) -> None:
    """An open bid that names the member no longer does, and its company is told, as when the
    team changes a bid itself (the comparison shows the change; a selection of the old terms is refused)."""
    bids = session.exec(select(Bid).where(Bid.team_id == member.team_id,
                                          Bid.status.in_([s.value for s in OPEN_BIDS]))).all()
    team = session.get(Team, member.team_id)
    for bid in [b for b in bids if member.id in (b.member_ids or [])]:
        bid.member_ids, bid.updated_at = [m for m in bid.member_ids if m != member.id], utcnow()
        session.add(bid)
        problem = session.get(Problem, bid.problem_id)
        record(session=session, actor=actor, action="bid.revised", obj_type="bid", obj_id=bid.id,
               problem_id=problem.id, team_id=team.id, changed=["member_ids"])
        notify(session=session, users=company_users(session, problem.organisation_id), kind="bid_revised",
               params={"team": team.name, "title": problem.title, "price": f"NT${bid.price:,}"},
               link=f"/problems/{problem.id}/bids")


def invite_team(*, session: Session, problem: Problem, team: Team, actor: User,
                message: str = "") -> Invitation:
    """A company invites a team to bid on one of its published problems."""
    if actor.organisation_id != problem.organisation_id:
        raise NotAllowed(_l("This problem belongs to another organisation."))
    if problem.status != ProblemStatus.PUBLISHED:
        raise ServiceError(_l("Only published problems take invitations."))
    if team.closed_at is not None:
        raise ServiceError(_l("This team has closed its account."))
    if has_conflict(session, problem, team.id):
        raise NotAllowed(_l("This team has a conflict of interest with your organisation."))
    invitation = Invitation(problem_id=problem.id, team_id=team.id, invited_by_id=actor.id,
                            message=message.strip()[:1000])
    session.add(invitation)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        session.rollback()
        raise Conflict(_l("This team has already been invited.")) from exc
    record(session=session, actor=actor, action="team.invited", obj_type="problem",
           obj_id=problem.id, team_id=team.id)
    org = session.get(Organisation, problem.organisation_id)
    notify(session=session, users=team_users(session, team.id), kind="invitation",
           params={"company": org.name, "title": problem.title}, link=f"/problems/{problem.id}")
    session.commit()
    return invitation
