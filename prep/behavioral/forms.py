from django import forms

from . import content
from .models import Story


class StoryForm(forms.ModelForm):
    competencies = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text="The competencies this story proves.",
    )

    class Meta:
        model = Story
        fields = ["title", "situation", "task", "action", "result", "competencies"]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3}) for f in ("situation", "task", "action", "result")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = [
            (c.slug, c.name) for c in content.bank().competencies
        ]
