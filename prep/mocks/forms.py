from __future__ import annotations

from django import forms

from .models import SCORE_LABELS, MockKind
from .services import COMMENT_MAX_CHARS, FEEDBACK_NOTES_MAX_CHARS, MAX_MINUTES, MIN_MINUTES

SCORE_CHOICES = [(str(s), f"{s} · {label}") for s, label in SCORE_LABELS.items()]


class PromptFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *MockKind.choices], required=False, label="Kind"
    )


def _minutes_field(phase: dict, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=phase["title"],
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=initial,
        error_messages={
            "required": f"{phase['title']}: enter the minutes for this phase.",
            "invalid": f"{phase['title']}: enter a whole number of minutes.",
            "min_value": f"{phase['title']}: at least {MIN_MINUTES} minute.",
            "max_value": f"{phase['title']}: at most {MAX_MINUTES} minutes.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--narrow"}),
    )


class DurationsForm(forms.Form):
    """Minutes per phase (all of a rubric's phases, or the ones still ahead)."""

    def __init__(self, *args, phases: list[dict], minutes: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = phases
        for phase in phases:
            self.fields[f"minutes_{phase['slug']}"] = _minutes_field(
                phase, int(minutes.get(phase["slug"], phase.get("minutes", 5)))
            )

    def minutes(self) -> dict[str, int]:
        return {p["slug"]: self.cleaned_data[f"minutes_{p['slug']}"] for p in self.phases}


class SelfScoreForm(forms.Form):
    """A score (1-4) and a comment per rubric dimension, overall notes, and the checklist."""

    notes = forms.CharField(
        label="Overall notes",
        required=False,
        max_length=FEEDBACK_NOTES_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What went well, what to practise next.",
    )

    def __init__(self, *args, rubric, checklist: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for dim in rubric.dimensions:
            slug, title = dim["slug"], dim["title"]
            self.fields[f"score_{slug}"] = forms.ChoiceField(
                label=title,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"{title}: give a score from 1 to 4.",
                    "invalid_choice": f"{title}: scores go from 1 (strong no hire) to 4 (strong hire).",
                },
            )
            self.fields[f"comment_{slug}"] = forms.CharField(
                label=f"Comment on {title.lower()}",
                required=False,
                max_length=COMMENT_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["checklist"] = forms.TypedMultipleChoiceField(
            label="What a strong answer covers — tick what you covered",
            choices=[(str(i), text) for i, text in enumerate(checklist)],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        # Keep notes last.
        self.order_fields([f for f in self.fields if f != "notes"] + ["notes"])

    def dimension_rows(self) -> list[dict]:
        """Per rubric dimension: its data, the score and comment fields, and each score
        option beside the signal that earns it."""
        rows = []
        for dim in self.rubric.dimensions:
            score = self[f"score_{dim['slug']}"]
            rows.append(
                {
                    "dim": dim,
                    "score": score,
                    "comment": self[f"comment_{dim['slug']}"],
                    "options": [
                        (radio, dim["signals"].get(str(radio.data["value"]), "")) for radio in score
                    ],
                }
            )
        return rows

    def scores(self) -> dict[str, str]:
        return {
            d["slug"]: self.cleaned_data.get(f"score_{d['slug']}") for d in self.rubric.dimensions
        }

    def comments(self) -> dict[str, str]:
        return {
            d["slug"]: self.cleaned_data.get(f"comment_{d['slug']}", "")
            for d in self.rubric.dimensions
        }

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for key, messages in message_dict.items():
            field = f"score_{key}" if f"score_{key}" in self.fields else None
            if key == "notes":
                field = "notes"
            for message in messages:
                self.add_error(field, message)
