from __future__ import annotations

from django import forms

from prep.lib.forms import BoundedModelChoiceField

from .exchange import MAX_BYTES, MAX_FIELD
from .models import Deck, StudySettings


class OwnDeckField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class CardForm(forms.Form):
    deck = OwnDeckField(queryset=Deck.objects.none(), empty_label=None)
    front = forms.CharField(
        max_length=MAX_FIELD,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. The question or scenario, with its constraints.",
    )
    back = forms.CharField(
        max_length=MAX_FIELD,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. The answer and the reasoning behind it.",
    )
    tags = forms.CharField(
        max_length=400,
        required=False,
        help_text="Space-separated, like Anki (e.g. <code>optimisers week2</code>).",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deck"].queryset = Deck.objects.filter(owner=user).order_by("title")

    def clean_front(self):
        return self.cleaned_data["front"].strip()

    def clean_back(self):
        return self.cleaned_data["back"].strip()


class DeckForm(forms.Form):
    title = forms.CharField(max_length=120, label="Deck name")
    description = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StudySettingsForm(forms.ModelForm):
    class Meta:
        model = StudySettings
        fields = ["new_per_day", "desired_retention"]
        labels = {"new_per_day": "New cards per day", "desired_retention": "Desired retention"}
        help_texts = {
            "new_per_day": "How many unseen cards to introduce each day (0–999).",
            "desired_retention": (
                "The probability of recalling a card when it comes due, from 0.70 to 0.97. "
                "Higher means shorter intervals and more reviews."
            ),
        }
        widgets = {
            "new_per_day": forms.NumberInput(attrs={"min": 0, "max": 999}),
            "desired_retention": forms.NumberInput(
                attrs={
                    "min": 0.7,
                    "max": 0.97,
                    "step": 0.01,
                    # The workload preview follows the value being considered.
                    "hx-get": "/flashcards/settings/workload/",
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#workload",
                    "hx-swap": "outerHTML",
                },
            ),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text=(
            "CSV or TSV, up to 1 MB: front, back and optional tags per line, as Anki's "
            "“Notes in Plain Text” export writes them."
        )
    )
    deck = OwnDeckField(queryset=Deck.objects.none(), required=False, empty_label="A new deck")
    new_deck = forms.CharField(max_length=120, required=False, label="New deck name")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deck"].queryset = Deck.objects.filter(owner=user).order_by("title")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {MAX_BYTES:,} bytes (1 MB)."
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("deck") and not (data.get("new_deck") or "").strip():
            self.add_error("new_deck", "Choose one of your decks or name a new one.")
        return data


class AnkiPackageForm(forms.Form):
    package = forms.FileField(
        label="Anki package",
        help_text=(
            "An .apkg or .colpkg exported from Anki with scheduling information, up to 50 MB: "
            "its cards and their review history come in together."
        ),
    )
    title = forms.CharField(max_length=120, initial="Anki import", label="New deck name")

    def clean_package(self):
        from .anki import MAX_BYTES as ANKI_MAX_BYTES

        upload = self.cleaned_data["package"]
        if not upload.name.lower().endswith((".apkg", ".colpkg")):
            raise forms.ValidationError("Choose an .apkg or .colpkg file exported from Anki.")
        if upload.size > ANKI_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {ANKI_MAX_BYTES:,} bytes (50 MB)."
            )
        return upload
