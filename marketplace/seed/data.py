"""Read the demo data files (the project's own text) shipped with the package."""
from __future__ import annotations

import json
from pathlib import Path

from models import Sector

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_sector_files() -> list[dict]:
    """One {"sector", "organisations", "problems"} document per sector, in Sector order."""
    docs = []
    for sector in Sector:
        path = DATA_DIR / "problems" / f"{sector.value}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["sector"] != sector.value:
            raise ValueError(f"{path.name} says sector {doc['sector']!r}")
        docs.append(doc)
    return docs


def load_teams() -> list[dict]:
    """Every demo team, ordered by key."""
    teams = []
    for path in sorted(DATA_DIR.glob("teams_*.json")):
        teams.extend(json.loads(path.read_text(encoding="utf-8")))
    return sorted(teams, key=lambda t: t["key"])
