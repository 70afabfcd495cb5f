"""Helpers shared by the forms of every area."""
from __future__ import annotations

from wtforms.fields.choices import SelectChoice

from marketplace.i18n import current_locale


def enum_choices(enum_cls, blank: str | None = None) -> list[SelectChoice]:
    """Select options for an enum, labelled in the active locale, optionally with a blank first."""
    options = [SelectChoice(value, text) for value, text in enum_cls.choices(current_locale())]
    return ([SelectChoice("", blank)] if blank is not None else []) + options
