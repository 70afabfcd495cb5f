"""Bids by AI talent teams."""
from flask import Blueprint

bp = Blueprint("bids", __name__)

# The route modules register themselves on bp.
from marketplace.bids import views  # noqa: E402,F401
