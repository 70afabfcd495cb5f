"""Forms of a running project: progress, delivery, the company's confirmation."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.formutil import Form


class ProgressForm(Form):
    body = TextAreaField(_l("Progress update"), validators=[DataRequired(), Length(min=5, max=5000)])
    milestone_id = SelectField(_l("Milestone"), coerce=int, validators=[Optional()])
    milestone_done = BooleanField(_l("This milestone is done"))

    def validate_milestone_done(self, field):
        if field.data and not self.milestone_id.data:
            raise ValidationError(_l("Choose the milestone that is done, or untick the box."))


class MessageForm(Form):
    body = TextAreaField(_l("Message to the team"), validators=[DataRequired(), Length(min=2, max=5000)])


class DeliveryForm(Form):
    summary = TextAreaField(_l("Solution summary"), validators=[DataRequired(), Length(min=20, max=5000)])
    results = TextAreaField(_l("Results"), validators=[DataRequired(), Length(max=5000)])
    kpi_reached = TextAreaField(_l("KPI reached"), validators=[DataRequired(), Length(max=2000)])
    assets = TextAreaField(_l("Reusable assets (models, data sets, code, documents)"),
                           validators=[Optional(), Length(max=3000)])
    shareable = BooleanField(_l("Share this solution in the public library (the company agrees)"))


class ConfirmForm(Form):
    reason = TextAreaField(_l("What is missing (only when sending it back)"),
                           validators=[Optional(), Length(max=3000)])
    share = BooleanField(_l("We agree that this solution appears in the public library"))


class CloseProjectForm(Form):
    """Staff close a project that will not be delivered: a reason both sides read, and a ticked box."""

    reason = TextAreaField(_l("Why the project is closed"),
                           validators=[DataRequired(_l("Say why the project is closed; both sides will read it.")),
                                       Length(max=2000)], id="close-reason")
    confirm = BooleanField(_l("I understand that the project ends for good and does not count as a solution."),
                           validators=[DataRequired(_l("Tick the box to confirm. Nothing has been closed."))],
                           id="close-confirm")
