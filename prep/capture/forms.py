from django import forms

from prep.mocks.models import MockKind


class StartForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Mock session")
    kind = forms.ChoiceField(choices=MockKind.choices, initial=MockKind.ML_SYSTEM_DESIGN)
    question = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on top of the overlay for the whole session.",
    )
    solo_mock = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    booking = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
