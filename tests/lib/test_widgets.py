"""The filter bars' dropdowns are written in Python (prep.lib.widgets.FilterSelect): the
same markup as Django's own select widget, byte for byte, and every value escaped."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict

from prep.booking.forms import SlotFilterForm
from prep.drills.forms import FilterForm
from prep.drills.models import Pattern, ProblemList
from prep.lib.widgets import FilterSelect

CHOICES = [("", "Any pattern"), ("two_pointers", "Two pointers"), ('x"<&>', "<b>Bold</b> & 'q'")]


@pytest.mark.parametrize("value", [None, "", "two_pointers", 'x"<&>', "missing"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_pattern"}, {"id": 'i"d', "aria-invalid": "true", "required": True}]
)
def test_filter_select_writes_what_django_select_writes(value, attrs):
    ours = FilterSelect(choices=CHOICES).render("pattern", value, attrs)
    django = forms.Select(choices=CHOICES).render("pattern", value, attrs)
    assert ours == django
    assert "<b>" not in ours and "&lt;b&gt;Bold&lt;/b&gt; &amp; &#x27;q&#x27;" in ours


def test_grouped_choices_fall_back_to_django():
    choices = [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]
    ours = FilterSelect(choices=choices).render("g", "b")
    assert ours == forms.Select(choices=choices).render("g", "b")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["", "pattern=hashing&difficulty=hard&list=blind75&status=due", "pattern=nope"]
)
def test_the_filter_forms_fields_render_as_django_renders_them(catalogue, query):
    patterns, lists = list(Pattern.objects.all()), list(ProblemList.objects.all())
    assert len(patterns) > 20 and lists
    ours = FilterForm(QueryDict(query) if query else None, patterns=patterns, lists=lists)
    ours.filters()
    theirs = FilterForm(QueryDict(query) if query else None, patterns=patterns, lists=lists)
    theirs.filters()
    for name in ("pattern", "difficulty", "list", "status"):
        theirs.fields[name].widget = forms.Select(choices=theirs.fields[name].choices)
        assert str(ours[name]) == str(theirs[name])
    if query == "pattern=nope":
        assert 'aria-invalid="true"' in str(ours["pattern"])


@pytest.mark.parametrize(
    "data", [None, {"kind": "coding", "role": "applied"}, {"kind": ""}, {"kind": "<bogus>"}]
)
def test_find_a_peers_filter_fields_render_as_django_renders_them(data):
    ours, theirs = SlotFilterForm(data), SlotFilterForm(data)
    for name in ("kind", "role"):
        assert isinstance(ours.fields[name].widget, FilterSelect)
        theirs.fields[name].widget = forms.Select(choices=theirs.fields[name].choices)
        assert str(ours[name]) == str(theirs[name])
    if data and data["kind"] == "coding":
        assert 'value="coding" selected' in str(ours["kind"])
