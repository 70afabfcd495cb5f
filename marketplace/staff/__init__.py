"""Promotion-centre staff pages."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

# The route modules register themselves on bp.
from marketplace.staff import assignment, audit, decisions, review, views  # noqa: E402,F401
