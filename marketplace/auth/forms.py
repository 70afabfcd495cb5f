"""Forms of the auth area; choices are labelled in the active locale."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from marketplace.formutil import Form, enum_choices, one_line
from marketplace.services.accounts import MIN_PASSWORD_LENGTH
from models import AffiliationType, Region, Sector


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class RegisterForm(Form):
    role = RadioField(_l("I am registering"), choices=[
        SelectChoice("company", _l("a company that has a problem to solve")),
        SelectChoice("team", _l("an AI talent team")),
    ], default="company", validators=[InputRequired()])
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)], filters=[one_line])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    org_name = StringField(_l("Organisation or team name"),
                           validators=[DataRequired(), Length(max=200)])
    sector = SelectField(_l("Sector"), validators=[DataRequired()])
    region = SelectField(_l("Region"), validators=[DataRequired()])
    is_sme = BooleanField(_l("Small or medium-sized enterprise (SME)"), default=True)
    affiliation_type = SelectField(_l("Team affiliation"), validators=[Optional()])
    consent = BooleanField(
        _l("I agree that the platform stores my account data to run the matching programme."),
        validators=[DataRequired(message=_l("Consent is needed to create an account."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = enum_choices(Sector, blank=_l("Choose one"))
        self.region.choices = enum_choices(Region, blank=_l("Choose one"))
        self.affiliation_type.choices = enum_choices(AffiliationType, blank="—")


class NameForm(Form):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)], filters=[one_line])


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(Form):
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two passwords differ."))])


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two passwords differ."))])

    def validate_new(self, field):
        if field.data and field.data == self.current.data:
            raise ValidationError(_l("Choose a new password that differs from the current one."))


class AcceptInviteForm(ResetPasswordForm):
    """A colleague's first password, with the same consent registration asks for."""

    consent = BooleanField(
        _l("I agree that the platform stores my account data to run the matching programme."),
        validators=[DataRequired(message=_l("Consent is needed to create an account."))])
