"""The wheel ships templates, static files, migrations, catalogs and data with the code."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from marketplace.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_every_resource(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv", ".git", "instance", "*.egg-info", "build", "__pycache__", "tests", "bench"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist"), str(src)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "marketplace/templates/base.html", "marketplace/templates/problems/_rows.html",
        "marketplace/static/css/app.css", "marketplace/static/vendor/htmx-2.0.11.min.js",
        "marketplace/migrations/env.py", "marketplace/migrations/versions/0001_initial_schema.py",
        "marketplace/translations/zh_Hant_TW/LC_MESSAGES/messages.po",
        "marketplace/seed/data/teams_a.json", "marketplace/seed/data/problems/iot.json",
        "matching/data/taxonomy.json", "models/problem.py", "workers/celery_app.py",
    ):
        assert expected in names, expected


def test_settings_defaults_follow_the_programme():
    s = Settings(_env_file=None)
    assert (s.problems_per_sector, s.solutions_goal) == (20, 100)
    assert (s.programme_start.isoformat(), s.programme_end.isoformat()) == ("2025-01-01", "2027-12-31")
    assert s.default_locale == "zh_TW" and s.eager_tasks


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/x")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://r:6379/0")
    monkeypatch.setenv("SOLUTIONS_GOAL", "120")
    s = Settings()
    assert s.database_url == "postgresql://db/x" and not s.eager_tasks and s.solutions_goal == 120


def test_settings_refuse_the_placeholder_outside_development():
    with pytest.raises(ValueError):
        Settings(app_env="production")
    with pytest.raises(ValueError):
        Settings(app_env="test")
    assert Settings(app_env="development").secret_key


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in readme]
    assert not missing, f"settings the README does not describe: {missing}"
