"""Problem list (filters, htmx-refreshed rows) and problem detail for every role."""
from __future__ import annotations

from dataclasses import replace

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from wtforms.fields.choices import SelectChoice

from marketplace.bids.forms import BidForm, WithdrawBidForm, bid_form_data
from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.problems import bp
from marketplace.problems.forms import WithdrawProblemForm
from marketplace.security import acting_user
from marketplace.services import NotAllowed
from marketplace.services.bids import REVISABLE, existing_bid
from marketplace.services.catalog import (
    SORTS,
    ProblemFilters,
    get_problem,
    search_problems,
)
from marketplace.services.lifecycle import PUBLIC_STATUSES
from marketplace.services.matches import full_load
from marketplace.services.places import split_places
from marketplace.services.recommend import search_problem_ids, similar_problems, teams_for_problem
from matching import taxonomy
from models import (
    Bid,
    DataKind,
    Invitation,
    Language,
    Organisation,
    ProblemStatus,
    Region,
    Sector,
    Team,
    TeamMember,
)


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    return value if value in allowed else ""


def _amount(name: str) -> int | None:
    value = request.args.get(name, "").replace(",", "").strip()
    return int(value) if value.isdigit() and len(value) < 11 else None


def filters_from_request() -> ProblemFilters:
    """Read the list filters from the query string, ignoring values that make no sense."""
    return ProblemFilters(
        q=request.args.get("q", "")[:200], sector=_choice("sector", {s.value for s in Sector}),
        skill=_choice("skill", taxonomy.default().terms),
        data_kind=_choice("data_kind", {d.value for d in DataKind}),
        region=_choice("region", {r.value for r in Region}),
        language=_choice("language", {lang.value for lang in Language}),
        budget_from=_amount("budget_from"), budget_to=_amount("budget_to"),
        sort=_choice("sort", SORTS) or "relevance")


@bp.get("/problems")
def index():
    """Published problems; every filter lives in the URL so a page can be shared or bookmarked."""
    filters = filters_from_request()
    session = get_session()
    # "臺中 瑕疵檢測": 臺中 filters by the company's region (unless a region is chosen), the rest is searched.
    places, words = split_places(filters.q) if not filters.region else ((), filters.q)
    filters = replace(filters, places=places)
    ranked = search_problem_ids(session=session, text=words) if words.strip() else None
    page = search_problems(session=session, filters=replace(filters, q=words), ranked_ids=ranked,
                           page=request.args.get("page", 1, type=int))
    suggestion = taxonomy.default().spelling(words) if ranked == [] else None
    return render("problems/index.html", "problems/_rows.html", page=page, filters=filters,
                  skills=_skill_options(), suggestion=suggestion)


def _skill_options() -> list[tuple[str, str]]:
    from marketplace.i18n import current_locale

    tax = taxonomy.default()
    loc = current_locale()
    return sorted(((k, t.label(loc)) for k, t in tax.terms.items() if t.kind != "industry"),
                  key=lambda kv: kv[1])


@bp.get("/problems/<int:problem_id>")
def detail(problem_id: int):
    """One problem; owners and staff also see unpublished ones and the management panels."""
    session = get_session()
    try:
        problem = get_problem(session=session, problem_id=problem_id, viewer=acting_user())
    except NotAllowed:
        abort(404)
    if problem is None:
        abort(404)
    return render("problems/detail.html", **detail_context(problem))


def detail_context(problem, **overrides) -> dict:
    """Everything the problem page shows for the current user; `overrides` replace parts of it
    (a form re-rendered with its errors)."""
    session = get_session()
    org = session.get(Organisation, problem.organisation_id)
    context = {"problem": problem, "org": org, "my_bid": None, "bid_form": None,
               "recommendations": [], "invited": False, "similar": [],
               "withdraw_form": None}
    if problem.status in PUBLIC_STATUSES:
        context["similar"] = similar_problems(session=session, problem=problem)
    if current_user.is_authenticated and current_user.role == "team":
        context["my_bid"] = existing_bid(session=session, problem_id=problem.id,
                                         team_id=current_user.team_id)
        context["invited"] = session.exec(select(Invitation.id).where(
            Invitation.problem_id == problem.id, Invitation.team_id == current_user.team_id)).first()
        my_bid = context["my_bid"]
        if problem.status == ProblemStatus.PUBLISHED and (my_bid is None or my_bid.status in REVISABLE):
            # A new bid, a change to the open one, or a new bid after withdrawing.
            context["bid_form"] = bid_form_for(current_user.team_id, bid=my_bid)
            context["team_full"] = full_load(session, session.get(Team, current_user.team_id))
        if my_bid is not None:
            context["withdraw_form"] = WithdrawBidForm(formdata=None)
    owner = current_user.is_authenticated and current_user.organisation_id == problem.organisation_id
    staff = current_user.is_authenticated and current_user.is_staff
    if owner:
        context["withdraw_form"] = WithdrawProblemForm(formdata=None)
    if (owner or staff) and problem.status in (ProblemStatus.PUBLISHED, ProblemStatus.SUBMITTED):
        context["recommendations"] = teams_for_problem(session=session, problem=problem)
    return {**context, "owner": owner, **overrides}


def bid_form_for(team_id: int, formdata=None, bid: Bid | None = None) -> BidForm:
    """A bid form whose member choices are the team's members, filled from `bid` when given."""
    members = get_session().exec(select(TeamMember).where(TeamMember.team_id == team_id)).all()
    if formdata is not None:
        form = BidForm(formdata=formdata)
    elif bid is not None:
        form = BidForm(data=bid_form_data(bid))
    else:
        form = BidForm()
    form.member_ids.choices = [SelectChoice(str(m.id), _("%(name)s (%(role)s)", name=m.name, role=m.role))
                               for m in members]
    return form
