"""Quarterly exports: bilingual CSV and XLSX files, kept as records, downloadable again."""
from flask import Blueprint

bp = Blueprint("exports", __name__)

# The route module registers itself on bp.
from marketplace.exports import views  # noqa: E402,F401
