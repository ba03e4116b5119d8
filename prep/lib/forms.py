"""Form fields held to the site's input rule: a value the database cannot compare is a form
error, never a 500.

Django's model choice fields send the submitted value to the database as a primary key; a
number beyond a 64-bit integer (``99999999999999999999``) overflows the driver (SQLite raises
OverflowError) instead of failing validation. These subclasses refuse such a value first.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

MAX_PK = 2**63 - 1


def _plausible_pk(value) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) <= MAX_PK


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and self.to_field_name is None:
            if not _plausible_pk(value):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if not _plausible_pk(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
