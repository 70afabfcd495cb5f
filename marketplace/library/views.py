"""The public solution library: verified solutions their owners agreed to share."""
from __future__ import annotations

from flask import request

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.library import bp
from marketplace.services.library import shared_solutions
from marketplace.services.recommend import search_problem_ids
from models import Sector


@bp.get("/library")
def index():
    """Shared solutions, filterable by sector; a search ranks them as the problem list does."""
    sector = request.args.get("sector", "")
    sector = sector if sector in {s.value for s in Sector} else ""
    q = request.args.get("q", "").strip()[:200]
    session = get_session()
    ranked = search_problem_ids(session=session, text=q) if q else None
    page = shared_solutions(session=session, sector=sector, q=q, ranked_ids=ranked,
                            page=request.args.get("page", 1, type=int))
    return render("library/index.html", "library/_rows.html", page=page, sector=sector, q=q,
                  sectors=list(Sector))
