"""Locale selection (zh-TW by default, English one click away) and label helpers."""
from __future__ import annotations

from pathlib import Path

from babel.lists import format_list
from flask import (
    Flask,
    current_app,
    has_app_context,
    has_request_context,
    request,
    session,
)
from flask_babel import get_locale
from flask_login import current_user

from marketplace.extensions import babel
from marketplace.urls import back_here
from matching import taxonomy
from models import enums

LOCALES = ("zh_TW", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
HTML_LANG = {"zh_TW": "zh-Hant-TW", "en": "en"}


def select_locale() -> str:
    """Explicit choice in the session, then the user's saved locale, then the default."""
    if not has_request_context():
        return current_app.config["SETTINGS"].default_locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return current_user.locale
    if request and request.args.get("lang") in LOCALES:
        return request.args["lang"]
    return current_app.config["SETTINGS"].default_locale


def current_locale() -> str:
    """The active locale as 'zh_TW' or 'en' ('zh_TW' outside an app, e.g. in a bare service call)."""
    if not has_app_context():
        return "zh_TW"
    locale = get_locale()
    if locale is None:
        return current_app.config["SETTINGS"].default_locale
    return "en" if locale.language == "en" else "zh_TW"


def label(enum_cls, value) -> str:
    """Label of an enum value in the active locale; unknown values are shown as they are."""
    try:
        return enum_cls(value).label(current_locale())
    except ValueError:
        return str(value)


def skill_label(key: str) -> str:
    """A taxonomy key's name in the active locale."""
    return taxonomy.default().label(key, current_locale())


def listing(items, enum=None) -> str:
    """A list as the reader's language writes one: 甲、乙和丙 / A, B, and C (Babel's CLDR rules);
    with an enum, its members' labels."""
    items = [label(enum, i) if enum is not None else str(i) for i in items]
    return format_list(items, locale=current_locale()) if items else ""


def isodate(text: str | None):
    """A stored "YYYY-MM-DD" as a date, for the dateformat filter (None stays None)."""
    from datetime import date

    return date.fromisoformat(text) if text else None


def init_app(app: Flask) -> None:
    """Wire Flask-Babel and expose the helpers to templates."""
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["SETTINGS"].default_locale
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["SETTINGS"].display_timezone
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _i18n_context():
        loc = current_locale()
        return {"current_locale": loc, "html_lang": HTML_LANG.get(loc, loc)}

    # Globals (not context) so that imported macros see them too.
    app.jinja_env.globals.update(label=label, skill_label=skill_label, enums=enums, back_here=back_here)
    app.jinja_env.filters.update(listing=listing, skill_label=skill_label, isodate=isodate)
