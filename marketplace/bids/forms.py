"""The bid form: approach, milestones with dates, price, timeline, assigned members."""
from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, FormField, StringField, TextAreaField
from wtforms import Form as SubForm
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.formutil import Form, MultiCheckboxField, WholeNumberField, _wtforms_messages
from marketplace.i18n import current_locale
from marketplace.services.quarters import programme_today
from models import Bid, BidCreate

MILESTONE_ROWS = 4


class MilestoneForm(SubForm):
    """One milestone row inside the bid form (no CSRF of its own)."""

    class Meta:
        def get_translations(self, form):
            return _wtforms_messages(current_locale())

    title = StringField(_l("Milestone"), validators=[Optional(), Length(max=200)])
    due = DateField(_l("Due date"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Optional() stops the date's own chain when empty, so the pairing is checked here.
        if self.title.data and not self.due.data and not self.due.errors:
            self.due.errors = [_l("Give the milestone a date.")]
            return False
        if self.due.data and not (self.title.data or "").strip():
            self.title.errors = [_l("Name the milestone, or clear its date.")]
            return False
        if self.due.data and self.due.data < programme_today():
            self.due.errors = [_l("A milestone cannot be due in the past.")]
            return False
        return ok


class BidForm(Form):
    approach = TextAreaField(_l("Approach"), validators=[DataRequired(), Length(min=20, max=5000)])
    milestones = FieldList(FormField(MilestoneForm), min_entries=MILESTONE_ROWS,
                           max_entries=MILESTONE_ROWS)
    price = WholeNumberField(_l("Price (NT$)"), validators=[InputRequired(), NumberRange(min=1, max=10**9)])
    timeline_months = WholeNumberField(_l("Timeline (months)"), default=6,
                                   validators=[InputRequired(), NumberRange(min=1, max=60)])
    member_ids = MultiCheckboxField(_l("Assigned members"), validators=[Optional()])

    def validate_milestones(self, field):
        if not any(entry.form.title.data for entry in field.entries):
            raise ValidationError(_l("Plan at least one milestone."))

    def validate_timeline_months(self, field):
        """The last milestone must fall within the timeline (counted from today)."""
        dues = [e.form.due.data for e in self.milestones.entries if e.form.due.data]
        if field.data and dues and max(dues) > programme_today() + relativedelta(months=field.data):
            raise ValidationError(_l("The last milestone (%(day)s) falls after the timeline of %(n)d months.",
                                     day=format_date(max(dues)), n=field.data))

    def to_model(self) -> BidCreate:
        """The validated input as the service's input model, milestones in date order."""
        milestones = sorted(({"title": e.form.title.data.strip(), "due": e.form.due.data.isoformat()}
                             for e in self.milestones.entries if e.form.title.data),
                            key=lambda m: m["due"])
        return BidCreate(approach=self.approach.data.strip(), price=self.price.data,
                         timeline_months=self.timeline_months.data, milestones=milestones,
                         member_ids=[int(m) for m in self.member_ids.data or []])


class WithdrawBidForm(Form):
    """Withdrawing loses the bid's place on the shortlist, so the team ticks a box first (no JavaScript needed)."""

    confirm = BooleanField(
        _l("I understand that the company will no longer see this bid and that its place on the shortlist "
           "is lost. My team can bid again while the problem is open."),
        validators=[DataRequired(_l("Tick the box to confirm. Nothing has been withdrawn."))])


class SelectBidForm(Form):
    """Selecting a team sends it to the promotion centre and holds the other bids, so the company
    ticks a box first. One per bid card: prefixed with the bid, CSRF checked for the whole page."""

    confirm = BooleanField(
        _l("I choose this team. The promotion centre is asked to approve; the other bids wait until it "
           "decides."),
        validators=[DataRequired(_l("Tick the box to confirm. No team has been selected."))])

    @classmethod
    def for_bid(cls, bid_id: int, **kwargs) -> SelectBidForm:
        return cls(prefix=f"select-{bid_id}", meta={"csrf": False}, **kwargs)


def bid_form_data(bid: Bid) -> dict:
    """A saved bid as the bid form's data, to change it or to bid again after withdrawing."""
    return {"approach": bid.approach, "price": bid.price, "timeline_months": bid.timeline_months,
            "milestones": [{"title": m.get("title", ""), "due": date.fromisoformat(m["due"]) if m.get("due") else None}
                           for m in bid.milestones][:MILESTONE_ROWS],
            "member_ids": [str(m) for m in bid.member_ids]}
