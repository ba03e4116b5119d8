from __future__ import annotations

import uuid

from django import forms

from curriculum.roles import ROLE_CHOICES
from prep.accounts.models import WEEKDAY_CHOICES
from prep.lib.forms import BoundedModelChoiceField
from prep.lib.widgets import FilterSelect
from prep.mocks.forms import SelfScoreForm
from prep.mocks.models import MockKind

from .models import DEFAULT_MINUTES, MINUTES_CHOICES


class WindowForm(forms.Form):
    kind = forms.ChoiceField(
        label="Mock kind", choices=MockKind.choices, initial=MockKind.ML_SYSTEM_DESIGN
    )
    repeat = forms.ChoiceField(
        label="Repeats",
        choices=[("weekly", "Every week"), ("once", "Once, on a date")],
        initial="weekly",
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label="Weekday (for a weekly window)",
        choices=[("", "—"), *WEEKDAY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    date = forms.DateField(
        label="Date (for a one-off window)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_time = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.TypedChoiceField(
        label="Mock length",
        choices=MINUTES_CHOICES,
        coerce=int,
        initial=DEFAULT_MINUTES[MockKind.ML_SYSTEM_DESIGN],
        help_text="Each slot is one mock; with swapped halves each of you interviews for half.",
    )
    offers_swap = forms.BooleanField(
        label="Swap halves (I interview my guest too) when they ask for it",
        required=False,
        initial=True,
    )
    listed = forms.BooleanField(
        label="List these slots for everyone (otherwise only through my private link)",
        required=False,
        initial=True,
    )

    def clean(self):
        data = super().clean()
        if data.get("repeat") == "weekly":
            if data.get("weekday") is None:
                self.add_error("weekday", "Choose the weekday this window repeats on.")
            data["date"] = None
        elif data.get("repeat") == "once":
            if not data.get("date"):
                self.add_error("date", "Choose the date of this window.")
            data["weekday"] = None
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The window must end after it starts (on the same day).")
        return data


class SlotFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Mock kind",
        choices=[("", "All kinds"), *MockKind.choices],
        required=False,
        widget=FilterSelect,
    )
    role = forms.ChoiceField(
        label="Peer's role type",
        choices=[("", "Any role"), *ROLE_CHOICES],
        required=False,
        widget=FilterSelect,
    )


class BookForm(forms.Form):
    want_swap = forms.BooleanField(
        label="Swap halves: I interview my peer too", required=False, initial=True
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=64, initial=lambda: uuid.uuid4().hex
    )
    via = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Your peer sees this in the cancellation email.",
        error_messages={"required": "Say why you cancel; your peer will see it."},
    )


class RescheduleForm(forms.Form):
    slot = BoundedModelChoiceField(
        label="New time",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "That time is no longer open; pick another."},
    )

    def __init__(self, *args, slots, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = label


class SettingsForm(forms.Form):
    meeting_url = forms.URLField(
        label="Meeting link",
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text="Your video-call room; your guests see it on the booking page and invite.",
    )
    invite_emails = forms.BooleanField(label="Email me invites (.ics)", required=False)
    reminder_emails = forms.BooleanField(
        label="Email me reminders 24 hours and 1 hour before", required=False
    )


class PeerFeedbackForm(SelfScoreForm):
    """The mocks app's rubric form, without the self-score checklist."""

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, rubric=rubric, checklist=[], **kwargs)
        del self.fields["checklist"]
