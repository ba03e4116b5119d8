"""The plan item's markup (curriculum.rendering.item_html): every value escaped, the forms
each action needs, and the same answer through the template tag as through the function."""

import pytest
from django.template import Context, engines

from curriculum.rendering import item_html
from curriculum.selectors import ItemView

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>&'


def _view(status="pending", **extra):
    fields = dict(
        item=None,
        url=f"/drills/?q={HOSTILE}",
        progress=None,
        checklist=[(0, HOSTILE, False), (1, "second", True)],
        is_today=True,
        is_overdue=False,
        id="7",
        title=HOSTILE,
        area=HOSTILE,
        area_name=HOSTILE,
        slug=HOSTILE,
        description=HOSTILE,
        status=status,
        minutes="30",
        part="part 1 of 2",
        date="2026-12-07",
        checklist_url="/plan/items/7/checklist/",
        complete_url="/plan/items/7/complete/",
        snooze_url="/plan/items/7/snooze/",
        skip_url="/plan/items/7/skip/",
        reopen_url="/plan/items/7/reopen/",
    )
    fields.update(extra)
    return ItemView(**fields)


def test_every_value_is_escaped():
    html = item_html(_view(), csrf='"><b>')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html
    assert 'value="&quot;&gt;&lt;b&gt;"' in html


def test_a_pending_item_has_done_snooze_skip_and_a_form_per_checklist_line():
    html = item_html(_view(), csrf="t")
    for action in ("complete", "snooze", "skip"):
        assert f'action="/plan/items/7/{action}/"' in html
    assert "/reopen/" not in html
    assert html.count('action="/plan/items/7/checklist/"') == 2
    assert html.count('name="ticked" value="on"') == 1  # only the unticked line ticks
    assert 'aria-pressed="true"' in html and 'aria-pressed="false"' in html
    assert html.count('name="csrfmiddlewaretoken" value="t"') == 5


def test_a_done_item_can_only_be_undone_and_without_a_token_has_no_token_input():
    html = item_html(_view(status="done", auto_done=True), csrf="")
    assert 'data-status="done"' in html and "day-item--done" in html
    assert "Done (from activity)" in html
    assert 'action="/plan/items/7/reopen/"' in html and "/complete/" not in html
    assert "csrfmiddlewaretoken" not in html


def test_the_tag_renders_the_function_with_the_requests_token():
    view = _view()
    template = engines["django"].from_string("{% load plan_items %}{% plan_item view %}")
    assert template.render({"view": view, "csrf_token": "abc"}) == item_html(view, csrf="abc")
    assert template.template.render(Context({"view": view})) == item_html(view, csrf="")
