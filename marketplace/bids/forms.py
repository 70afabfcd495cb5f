"""The bid form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange


class BidForm(FlaskForm):
    approach = TextAreaField(_l("Approach"), validators=[DataRequired(), Length(min=20, max=5000)])
    price = IntegerField(_l("Price (NT$)"), validators=[DataRequired(), NumberRange(min=1, max=10**9)])
    timeline_months = IntegerField(_l("Timeline (months)"), default=6,
                                   validators=[DataRequired(), NumberRange(min=1, max=60)])
