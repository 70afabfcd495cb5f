"""Landing page, health check and the language switch."""
from flask import Blueprint

bp = Blueprint("public", __name__)

# The route modules register themselves on bp.
from marketplace.public import views  # noqa: E402,F401
