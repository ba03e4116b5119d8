from django import forms


class DayOffForm(forms.Form):
    date = forms.DateField(
        label="Day",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Choose a day.", "invalid": "Enter a date as YYYY-MM-DD."},
    )
    off = forms.TypedChoiceField(
        choices=[("1", "Day off"), ("0", "Study day")], coerce=lambda v: v == "1", initial="1"
    )


class WeekForm(forms.Form):
    week = forms.DateField(
        required=False, error_messages={"invalid": "Enter a date as YYYY-MM-DD."}
    )


class ChecklistForm(forms.Form):
    index = forms.IntegerField(min_value=0, max_value=100)
    ticked = forms.BooleanField(required=False)
