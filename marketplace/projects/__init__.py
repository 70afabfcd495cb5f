"""Projects: approved matches being carried out."""
from flask import Blueprint

bp = Blueprint("projects", __name__)

# The route modules register themselves on bp.
from marketplace.projects import views  # noqa: E402,F401
