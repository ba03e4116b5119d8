from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

from django import forms

from curriculum.plans import MIN_DAY_MINUTES
from curriculum.roles import ROLE_TYPES

from .models import WEEKDAY_CHOICES, Profile

MAX_DAYS_AHEAD = 365


@lru_cache(maxsize=1)
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class RoleRadioSelect(forms.RadioSelect):
    option_template_name = "accounts/_role_option.html"


class ProfileForm(forms.ModelForm):
    """Onboarding and the profile page: everything the plan is built from, and the name
    peers see."""

    display_name = forms.CharField(
        label="Display name",
        required=False,
        max_length=60,
        help_text="What peers see when you book mocks together. Optional; never your email.",
    )
    role = forms.ChoiceField(
        label="Role type",
        choices=[(r.slug, r.name) for r in ROLE_TYPES],
        widget=RoleRadioSelect,
        error_messages={"required": "Choose the role type you are interviewing for."},
    )
    interview_date = forms.DateField(
        label="Interview date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to plan four weeks from today.",
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )
    weekly_hours = forms.IntegerField(
        label="Hours per week",
        min_value=1,
        max_value=80,
        help_text="How many hours a week you can study (1–80).",
        error_messages={
            "min_value": "Plan at least 1 hour a week.",
            "max_value": "80 hours a week is the most Prep will plan.",
            "invalid": "Enter a whole number of hours.",
            "required": "Enter how many hours a week you can study.",
        },
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days you can study",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one weekday."},
    )
    timezone = forms.CharField(
        label="Timezone",
        max_length=64,
        help_text="Detected from your browser; for example Europe/Berlin.",
        widget=forms.TextInput(
            attrs={"data-detect-timezone": "", "list": "timezone-names", "autocomplete": "off"}
        ),
    )
    target_companies = forms.CharField(
        label="Target companies",
        required=False,
        max_length=300,
        help_text="Comma-separated, optional.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "role",
            "interview_date",
            "weekly_hours",
            "weekdays",
            "timezone",
            "target_companies",
        ]

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or dt.date.today()
        if not self.is_bound and self.instance.pk and self.instance.weekdays:
            self.initial["weekdays"] = self.instance.weekdays
        elif not self.is_bound and not self.instance.onboarded_at:
            self.initial["weekdays"] = [0, 1, 2, 3, 4]  # Monday to Friday, pre-ticked
        self.role_types = ROLE_TYPES
        if not self.is_bound and not self.instance.onboarded_at:
            # Left empty so the browser's timezone is detected (static/js/prep.js).
            self.initial["timezone"] = ""

    def clean_interview_date(self):
        value = self.cleaned_data.get("interview_date")
        if value is None:
            return None
        if value <= self.today:
            raise forms.ValidationError("The interview date must be in the future.")
        if value > self.today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(
                "Prep plans up to a year ahead; pick a date within 365 days."
            )
        return value

    def clean_timezone(self):
        value = (self.cleaned_data.get("timezone") or "").strip()
        if value not in timezone_names():
            raise forms.ValidationError(
                f"“{value}” is not a timezone Prep knows; try e.g. Europe/Berlin."
            )
        return value

    def clean_display_name(self):
        value = " ".join((self.cleaned_data.get("display_name") or "").split())
        if "@" in value:
            raise forms.ValidationError("A display name cannot be an email address.")
        return value

    def clean_weekdays(self):
        return sorted(set(self.cleaned_data.get("weekdays") or []))

    def clean(self):
        cleaned = super().clean()
        hours, days = cleaned.get("weekly_hours"), cleaned.get("weekdays")
        if hours and days and hours * 60 // len(days) < MIN_DAY_MINUTES:
            most = max(1, hours * 60 // MIN_DAY_MINUTES)
            self.add_error(
                "weekdays",
                f"{hours} h over {len(days)} days is {hours * 60 // len(days)} minutes a day; "
                f"a study day needs at least {MIN_DAY_MINUTES} minutes. Pick at most {most} "
                f"day{'s' if most != 1 else ''}, or plan more hours.",
            )
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm."},
    )
    confirm = forms.BooleanField(
        label="I understand this deletes my plan, practice history and transcripts for good.",
        error_messages={"required": "Tick the box to confirm."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password
