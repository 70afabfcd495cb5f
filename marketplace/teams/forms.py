"""Forms of the team profile editor."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.formutil import Form, MultiCheckboxField, WholeNumberField, enum_choices, one_line, text
from models import AffiliationType, CertLevel, Language, Region, Sector


class ProfileForm(Form):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=200)], filters=[one_line])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)], filters=[text])
    affiliation_type = SelectField(_l("Affiliation type"), validators=[DataRequired()])
    affiliation = StringField(_l("Affiliation (university, institute, company)"),
                              validators=[Optional(), Length(max=200)], filters=[text])
    region = SelectField(_l("Region"), validators=[DataRequired()])
    language = SelectField(_l("Profile language"), validators=[DataRequired()])
    description = TextAreaField(_l("What the team does"), validators=[DataRequired(), Length(max=5000)])
    sectors = MultiCheckboxField(_l("Sectors of experience"),
                                 validators=[DataRequired(message=_l("Choose at least one sector."))])
    skills = StringField(_l("Skills"), validators=[Optional(), Length(max=2000)], filters=[text])
    capacity = WholeNumberField(_l("Concurrent projects the team can take"),
                            validators=[InputRequired(), NumberRange(min=1, max=20)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.affiliation_type.choices = enum_choices(AffiliationType)
        self.region.choices = enum_choices(Region)
        self.language.choices = enum_choices(Language)
        self.sectors.choices = enum_choices(Sector)


class MemberForm(Form):
    # Its own ids: the profile form on the same page has a "name" too, and a label finds one id.
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)], filters=[one_line],
                       id="member-name")
    role = StringField(_l("Role in the team"), validators=[Optional(), Length(max=120)], filters=[text],
                       id="member-role")
    cert_level = SelectField(_l("AI certification level"), validators=[DataRequired()], id="member-cert_level")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cert_level.choices = enum_choices(CertLevel)


class ProjectForm(Form):
    title = StringField(_l("Project title"), validators=[DataRequired(), Length(max=200)], filters=[one_line])
    summary = TextAreaField(_l("What the client needed, what you did, what it achieved"),
                            validators=[DataRequired(), Length(max=3000)])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    year = WholeNumberField(_l("Year"), validators=[Optional(), NumberRange(min=1990, max=2100)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = enum_choices(Sector, blank="—")


NOTHING_REMOVED = _l("Tick the box to confirm. Nothing has been removed.")


class RemoveMemberForm(Form):
    """Removing cannot be undone, so the team ticks a box first (no JavaScript needed). One per row:
    prefixed with the row, CSRF checked for the whole page."""

    kind = "member"
    confirm = BooleanField(_l("I understand that this member leaves the team profile and the bids that name them."),
                           validators=[DataRequired(NOTHING_REMOVED)])

    @classmethod
    def for_item(cls, item_id: int, **kwargs):
        """The form of one row."""
        return cls(prefix=f"remove-{cls.kind}-{item_id}", meta={"csrf": False}, **kwargs)


class RemoveProjectForm(RemoveMemberForm):
    """The same box for a portfolio project."""

    kind = "project"
    confirm = BooleanField(_l("I understand that this project leaves the portfolio and that matching no longer "
                              "reads it."), validators=[DataRequired(NOTHING_REMOVED)])


def org_name(org) -> str:
    """An organisation's name, with its English name when it has a different one."""
    return f"{org.name} ({org.name_en})" if org.name_en and org.name_en != org.name else org.name


class ConflictForm(Form):
    """An organisation the team must not work for, and why (seen by the promotion centre)."""

    organisation = SelectField(_l("Organisation"), validators=[DataRequired(_l("Choose the organisation."))],
                               id="conflict-organisation")
    reason = StringField(_l("Why (for the promotion centre)"),
                         validators=[DataRequired(_l("Say briefly why, e.g. a member consults for it.")),
                                     Length(max=300)], filters=[one_line], id="conflict-reason")

    def set_choices(self, organisations) -> ConflictForm:
        """The organisations that can be declared, after a blank first choice."""
        self.organisation.choices = [("", _l("Choose one"))] + [(str(o.id), org_name(o)) for o in organisations]
        return self
