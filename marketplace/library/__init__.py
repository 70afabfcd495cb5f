"""The public solution library of verified, shareable solutions."""
from flask import Blueprint

bp = Blueprint("library", __name__)

# The route modules register themselves on bp.
from marketplace.library import views  # noqa: E402,F401
