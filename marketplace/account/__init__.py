"""Each role's home page."""
from flask import Blueprint

bp = Blueprint("account", __name__)

# The route modules register themselves on bp.
from marketplace.account import personal, views  # noqa: E402,F401
