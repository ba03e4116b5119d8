"""Form widgets shared by the apps' filter bars."""

from __future__ import annotations

import html

from django import forms
from django.utils.functional import Promise
from django.utils.safestring import mark_safe


def conditional_escape(value) -> str:
    """``django.utils.html.conditional_escape`` without its lazy-string wrapper (about fifty
    options a page): safe strings as they are, everything else ``html.escape``d."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html`` in Python: False drops, True is a bare name."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class FilterSelect(forms.Select):
    """Django's ``<select>``, the same markup as its ``select.html``/``select_option.html``
    byte for byte, written here: Django renders a template per option, and on the filter
    bars (the problem list's five dropdowns, about fifty options; find a peer's two) that was
    a fifth of the page's server time (``tests/lib/test_widgets.py`` compares the two)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _, _ in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)  # no groups here; Django's
        options = "".join(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
            f"{options}\n</select>"
        )
