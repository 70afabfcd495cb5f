"""The organisation profile form and the invitation of a colleague."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

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


class InviteColleagueForm(Form):
    """A colleague to give a login of their own: a name and an address to send the link to."""

    display_name = StringField(_l("Colleague's name"), validators=[DataRequired(), Length(max=120)],
                               filters=[one_line], id="colleague-name")
    email = EmailField(_l("Colleague's email"), validators=[DataRequired(), Email(), Length(max=254)],
                       id="colleague-email")
