"""Login, registration, logout and password change."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

# The route modules register themselves on bp.
from marketplace.auth import invite, views  # noqa: E402,F401
