"""AI talent teams: list and profile."""
from flask import Blueprint

bp = Blueprint("teams", __name__)

# The route modules register themselves on bp.
from marketplace.teams import conflicts, editor, views  # noqa: E402,F401
