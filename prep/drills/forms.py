"""Drills: input validation only."""

from __future__ import annotations

from django import forms

from prep.lib.forms import BoundedModelMultipleChoiceField
from prep.lib.once import form_key_field
from prep.lib.widgets import FilterSelect

from .models import Attempt, Difficulty, Language, Outcome, Pattern, ProblemList
from .selectors import STATUSES
from .services import IMPORT_MAX_BYTES, MAX_MINUTES


class FilterForm(forms.Form):
    """The problem list's filters; they live in the query string (bookmarkable)."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    pattern = forms.ChoiceField(label="Pattern", required=False, widget=FilterSelect)
    difficulty = forms.ChoiceField(
        label="Difficulty",
        required=False,
        choices=[("", "Any difficulty"), *Difficulty.choices],
        widget=FilterSelect,
    )
    list = forms.ChoiceField(label="List", required=False, widget=FilterSelect)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *STATUSES], widget=FilterSelect
    )

    def __init__(self, data=None, *, patterns: list[Pattern], lists: list[ProblemList]):
        data = data.copy() if data is not None else None
        # The plan links to ?due=1 for the re-solve queue.
        if data is not None and data.get("due") == "1" and not data.get("status"):
            data["status"] = "due"
        super().__init__(data)
        self.fields["pattern"].choices = [("", "Any pattern")] + [
            (p.slug, p.name) for p in patterns
        ]
        self.fields["list"].choices = [("", "Any list")] + [(x.slug, x.name) for x in lists]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"placeholder": "Title…", "autocomplete": "off"})

    def filters(self) -> dict:
        """Valid filters only: a bad value in a bookmarked URL is dropped, not an error."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class AttemptForm(forms.ModelForm):
    form_key = form_key_field()  # a double click logs one attempt (prep.lib.once)
    minutes = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=1,
        max_value=MAX_MINUTES,
        help_text="Leave empty to use the timer.",
    )
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    confidence = forms.TypedChoiceField(
        label="Confidence you could solve it again",
        choices=[(i, f"{i}") for i in range(1, 6)],
        coerce=int,
        initial=3,
        widget=forms.RadioSelect,
        help_text="1 = lost, 5 = could do it in my sleep.",
    )

    class Meta:
        model = Attempt
        fields = ["minutes", "outcome", "confidence", "language", "notes", "code"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "code": forms.Textarea(attrs={"rows": 10, "class": "code", "spellcheck": "false"}),
        }
        labels = {"code": "Solution code", "notes": "Notes"}
        help_texts = {"code": "Stored as text and shown highlighted; never run."}

    def __init__(self, *args, timer_running: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.timer_running = timer_running
        self.fields["language"].choices = Language.choices
        if not timer_running:
            self.fields["minutes"].help_text = "No timer is running: enter the minutes."

    def clean_code(self):
        code = self.cleaned_data.get("code", "")
        if len(code) > 50_000:
            raise forms.ValidationError("The code is longer than 50,000 characters.")
        return code

    def clean_notes(self):
        notes = self.cleaned_data.get("notes", "")
        if len(notes) > 10_000:
            raise forms.ValidationError("The notes are longer than 10,000 characters.")
        return notes

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("minutes") is None
            and not self.timer_running
            and "minutes" not in self.errors
        ):
            self.add_error("minutes", "Enter the minutes you spent (no timer is running).")
        return cleaned


class ProblemForm(forms.Form):
    form_key = form_key_field()
    title = forms.CharField(label="Title", max_length=200)
    url = forms.URLField(
        label="Link",
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text="Where the problem is stated (optional).",
    )
    difficulty = forms.ChoiceField(label="Difficulty", choices=Difficulty.choices, initial="medium")
    patterns = BoundedModelMultipleChoiceField(
        label="Patterns",
        queryset=Pattern.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="What it practises; coverage and the plan count it under these.",
    )

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter an http(s) link.")
        return url


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: problem (LeetCode slug or link), date, minutes, outcome "
            "(clean, hints, failed), confidence, language, notes, code. At most 1 MB."
        ),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {f.size:,} bytes; the limit is {IMPORT_MAX_BYTES:,} bytes. "
                "Nothing was imported."
            )
        return f
