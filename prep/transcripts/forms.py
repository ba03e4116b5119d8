from django import forms

from prep.mocks.models import MockKind

from .upload import MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Transcript file",
        help_text="WebVTT (.vtt), SRT (.srt), JSON, or a Zoom, Teams or Meet transcript "
        f"(.vtt or .txt); at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
    )
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=MockKind.choices, initial=MockKind.ML_SYSTEM_DESIGN)
    my_role = forms.ChoiceField(
        label="You were the",
        choices=[("candidate", "Candidate"), ("interviewer", "Interviewer")],
        initial="candidate",
    )
    my_label = forms.CharField(
        label="Your speaker name in the file",
        max_length=100,
        required=False,
        help_text='As it appears in the file (e.g. "Candidate" or "Ana"). Left empty, a '
        "speaker named like your role is you.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        return upload


class SpeakersForm(forms.Form):
    me = forms.ChoiceField(label="Which speaker is you")
    my_role = forms.ChoiceField(
        label="You were the", choices=[("candidate", "Candidate"), ("interviewer", "Interviewer")]
    )

    def __init__(self, *args, labels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["me"].choices = [(label, label) for label in labels]


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CardForm(forms.Form):
    front = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    back = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=8000)
