"""The organisation profile form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.formutil import Form, enum_choices, one_line, text
from models import Region, Sector


class OrganisationForm(Form):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)], filters=[one_line])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)], filters=[text])
    sector = SelectField(_l("Sector"), validators=[DataRequired()])
    region = SelectField(_l("Region"), validators=[DataRequired()])
    is_sme = BooleanField(_l("Small or medium-sized enterprise (SME)"))
    description = TextAreaField(_l("What the organisation does"),
                                validators=[Optional(), Length(max=3000)], filters=[text])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = enum_choices(Sector)
        self.region.choices = enum_choices(Region)
