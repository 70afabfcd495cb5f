"""Helpers shared by the forms of every area."""
from __future__ import annotations

from functools import lru_cache

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.i18n import current_locale


@lru_cache(maxsize=4)
def _wtforms_messages(locale: str):
    # WTForms ships zh_TW; Babel would ask for zh_Hant_TW and fall back to Simplified Chinese.
    return get_translations([locale]) if locale != "en" else None


class Form(FlaskForm):
    """Base of every form: WTForms' own messages follow the UI language (Traditional Chinese)."""

    class Meta:
        def get_translations(self, form):
            return _wtforms_messages(current_locale())


def enum_choices(enum_cls, blank: str | None = None) -> list[SelectChoice]:
    """Select options for an enum, labelled in the active locale, optionally with a blank first."""
    options = [SelectChoice(value, text) for value, text in enum_cls.choices(current_locale())]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


class WholeNumberField(IntegerField):
    """An integer field that says only "not a whole number" for 6.5 or 30萬: its range check is
    skipped when the value could not be read (it would claim 6.5 is outside 1 to 60)."""

    def pre_validate(self, form):
        if self.process_errors and typed(self):      # an empty box is left to Optional/DataRequired
            raise StopValidation()


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes sending a list of values."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def typed(field) -> bool:
    """Whether the user typed or chose something in the field (whatever could be read of it)."""
    return any(str(value).strip() for value in (field.raw_data or ()))


def require(form, names: list[str], message) -> bool:
    """Add `message` to every named field left empty; True when all were filled. A field holding
    something that could not be read ("6.5" months) is not empty: its own message says what is
    wrong."""
    ok = True
    for name in names:
        field = getattr(form, name)
        if field.data in (None, "", [], ()):
            ok = False
            if not (field.errors and typed(field)):
                field.errors = [*field.errors, message]
    return ok


def text(value):
    """Field filter: optional text arrives as a stripped string, never None."""
    return (value or "").strip() if isinstance(value, str) or value is None else value


def one_line(value):
    """Field filter for names and titles: line breaks and runs of spaces become one space."""
    return " ".join(value.split()) if isinstance(value, str) else value
