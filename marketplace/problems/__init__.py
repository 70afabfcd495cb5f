"""Published problems: list and detail."""
from flask import Blueprint

bp = Blueprint("problems", __name__)

# The route modules register themselves on bp.
from marketplace.problems import manage, views  # noqa: E402,F401
