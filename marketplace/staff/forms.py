"""Forms of the staff queues."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from marketplace.formutil import Form


class DecisionForm(Form):
    reason = TextAreaField(_l("Reason (needed to reject)"), validators=[Optional(), Length(max=2000)])


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = StringField(_l("Actor (name or email)"), validators=[Optional(), Length(max=120)])
    action = StringField(_l("Action"), validators=[Optional(), Length(max=48)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("“Until” is before “From”; swap the two dates."))
