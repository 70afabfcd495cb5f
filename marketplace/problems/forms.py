"""The problem form: every field a company describes; drafts may be incomplete."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.formutil import Form, MultiCheckboxField, WholeNumberField, enum_choices, one_line, require
from models import DataKind, Language, ProblemCreate, Sector, Sensitivity

BUDGET_RANGE = _l("Enter an amount from NT$ 0 to NT$ 1,000,000,000.")
REQUIRED_TO_SUBMIT = ["context", "pain", "data_kinds", "data_volume", "outcome", "kpi",
                      "budget_min", "budget_max", "timeline_months"]


class ProblemForm(Form):
    # Names one new problem's form: sent again (back, then save), it saves the same problem. After
    # Back the browser fetches the form anew, with a new name; static/js/once.js puts the old one back.
    once = HiddenField(render_kw={"data-once": ""})
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the problem a title.")), Length(max=200)],
                        filters=[one_line])
    sector = SelectField(_l("Sector"), validators=[DataRequired(_l("Choose the sector the problem belongs to."))])
    language = SelectField(_l("Language of the description"), validators=[DataRequired()])
    context = TextAreaField(_l("Business context"), validators=[Optional(), Length(max=5000)])
    pain = TextAreaField(_l("The problem you want solved"), validators=[Optional(), Length(max=5000)])
    data_kinds = MultiCheckboxField(_l("Kinds of data you have"), validators=[Optional()])
    data_volume = StringField(_l("How much data"), validators=[Optional(), Length(max=300)])
    data_format = StringField(_l("Data format"), validators=[Optional(), Length(max=300)])
    data_sensitivity = SelectField(_l("Data sensitivity"), validators=[DataRequired()])
    outcome = TextAreaField(_l("Expected outcome"), validators=[Optional(), Length(max=5000)])
    kpi = TextAreaField(_l("KPI"), validators=[Optional(), Length(max=2000)])
    constraints = TextAreaField(_l("Constraints"), validators=[Optional(), Length(max=3000)])
    on_premise = BooleanField(_l("Data must stay on our premises"))
    edge_device = BooleanField(_l("Must run on an edge device"))
    field_site = BooleanField(_l("We can offer a field site for testing"))
    budget_min = WholeNumberField(_l("Budget from (NT$)"),
                                  validators=[Optional(), NumberRange(min=0, max=10**9, message=BUDGET_RANGE)])
    budget_max = WholeNumberField(_l("Budget up to (NT$)"),
                                  validators=[Optional(), NumberRange(min=0, max=10**9, message=BUDGET_RANGE)])
    timeline_months = WholeNumberField(_l("Timeline (months)"),
                                       validators=[Optional(), NumberRange(min=1, max=60)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        problem = kwargs.get("obj")
        from_object = self.budget_min.raw_data is None and self.budget_max.raw_data is None
        if problem is not None and from_object and not problem.budget_min and not problem.budget_max:
            # A budget of 0 to 0 is how a draft stores "not set yet": show empty boxes, which
            # submitting then asks to fill, rather than a budget of NT$ 0.
            self.budget_min.data = self.budget_max.data = None
        self.sector.choices = enum_choices(Sector, blank=_l("Choose one"))
        self.language.choices = enum_choices(Language)
        self.data_kinds.choices = enum_choices(DataKind)
        self.data_sensitivity.choices = enum_choices(Sensitivity)

    def validate_budget_max(self, field):
        if field.data is not None and self.budget_min.data is not None and field.data < self.budget_min.data:
            raise ValidationError(_l("The upper budget must not be below the lower one."))

    def complete_for_review(self) -> bool:
        """Submitting needs every required field; a draft needs only a title and a sector."""
        return require(self, REQUIRED_TO_SUBMIT, _l("Needed before the problem can be submitted."))

    def to_model(self) -> ProblemCreate:
        """The validated input as the service's input model."""
        low = self.budget_min.data or 0
        return ProblemCreate(
            title=self.title.data.strip(), sector=self.sector.data, language=self.language.data,
            context=self.context.data or "", pain=self.pain.data or "",
            data_kinds=list(self.data_kinds.data or []), data_volume=self.data_volume.data or "",
            data_format=self.data_format.data or "", data_sensitivity=self.data_sensitivity.data,
            outcome=self.outcome.data or "", kpi=self.kpi.data or "",
            constraints=self.constraints.data or "", on_premise=self.on_premise.data,
            edge_device=self.edge_device.data, field_site=self.field_site.data, budget_min=low,
            budget_max=max(self.budget_max.data or low, low),
            timeline_months=self.timeline_months.data)


class WithdrawProblemForm(Form):
    """Withdrawing cannot be undone, so the owner ticks a box first (no JavaScript needed)."""

    confirm = BooleanField(
        _l("I understand that a withdrawn problem cannot be reopened and that every open bid on it "
           "will be declined."),
        validators=[DataRequired(_l("Tick the box to confirm. Nothing has been withdrawn."))])
