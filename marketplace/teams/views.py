"""Team list and team profile."""
from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.services.catalog import search_teams, team_profile
from marketplace.services.conflicts import declared
from marketplace.services.places import split_places
from marketplace.services.recommend import search_team_ids
from marketplace.teams import bp
from models import Sector


@bp.get("/teams")
def index():
    """All teams, filterable by sector and searchable by words, skills and meaning."""
    sector = request.args.get("sector", "")
    if sector not in {s.value for s in Sector}:
        sector = ""
    q = request.args.get("q", "")[:200]
    session = get_session()
    # A typed query is read as the problem list reads one: both languages, skills and meaning.
    places, words = split_places(q)          # "臺中 影像": teams in Taichung, searched for 影像
    ranked = search_team_ids(session=session, text=words) if words.strip() else None
    page = search_teams(session=session, sector=sector, q=words, ranked_ids=ranked, places=places,
                        page=request.args.get("page", 1, type=int))
    return render("teams/index.html", "teams/_rows.html", page=page, sector=sector, q=q,
                  sectors=list(Sector), places=places)


@bp.get("/teams/<int:team_id>")
def detail(team_id: int):
    """A team's profile: members, skills, sectors and portfolio."""
    found = team_profile(session=get_session(), team_id=team_id)
    if found is None:
        abort(404)
    team, members, portfolio = found
    # Declared conflicts and their reasons are for the promotion centre's eyes only.
    staff = current_user.is_authenticated and current_user.is_staff
    conflicts = declared(session=get_session(), team_id=team.id) if staff else []
    return render("teams/detail.html", team=team, members=members, portfolio=portfolio, conflicts=conflicts)
