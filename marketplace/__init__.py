"""The marketplace web app: create_app() builds a configured Flask instance."""
from __future__ import annotations

from flask import Flask

from marketplace.settings import Settings


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    """Build the app from `settings` (default: read from the environment) plus overrides."""
    from marketplace import db, errors, i18n, security
    from marketplace.paths import resource_dir

    if settings is None:
        settings = Settings(**overrides)
    elif overrides:
        settings = settings.model_copy(update=overrides)
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_relative_config=True,
    )
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_content_length,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.force_https,
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings.app_env == "test",
    )
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)
    _register_cli(app)
    from workers.celery_app import make_celery

    make_celery(app)
    if settings.matcher_warm:
        from marketplace.recommender.engine import warm_in_background

        warm_in_background(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from marketplace import account, auth, bids, exports, library, problems, projects, public, staff, teams

    for area in (public, auth, account, problems, teams, bids, projects, staff, library, exports):
        app.register_blueprint(area.bp)


def _register_cli(app: Flask) -> None:
    from marketplace.cli import register_commands

    register_commands(app)
