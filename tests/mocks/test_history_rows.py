"""The history table's rows are written in Python (``views._history_rows``): the markup of
the template row they replaced, every value escaped."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import timezone

from prep.mocks import selectors, services
from prep.mocks.views import _history_rows

from . import factories

pytestmark = pytest.mark.django_db

# The row as mocks/history.html wrote it before _history_rows (with the date filter and the
# URL reverses that the view had since taken over).
TEMPLATE_ROW = Template(
    """{% load l10n mocks_tags %}{% localize off %}
            <tr>
              <td class="nowrap">{{ row.created_at|date:"j M Y" }}</td>
              <td>
                <a href="{% if row.solo_mock_id %}{% url 'mocks:solo_detail' row.solo_mock_id %}{% else %}{% url 'mocks:feedback_detail' row.pk %}{% endif %}">{% if row.solo_mock_id %}{{ row.title }}{% else %}Peer mock{% endif %}</a>
                <span class="badge badge--{% if row.is_self_score %}neutral{% else %}info{% endif %}">{% if row.is_self_score %}self{% else %}peer{% endif %}</span>
              </td>
              {{ row.cells|score_cells }}
              <td class="num"><strong>{{ row.mean|default:"—" }}</strong></td>
            </tr>
          {% endlocalize %}"""  # noqa: E501
)


def test_rows_are_the_template_rows_escaped(alice, bob):
    mock = factories.completed_mock(alice, value=2, at=timezone.now() - dt.timedelta(days=3))
    mock.prompt.title = '<i>Feed & "ranking"</i>'
    mock.prompt.save()
    services.feedback_submit(
        author=bob,
        subject=alice,
        kind="ml_system_design",
        scores={**factories.full_scores(value=3), "framing": 1},
        context_key="booking:9",
        now=timezone.now() - dt.timedelta(days=2),
    )
    rows = selectors.score_history(user=alice, kind="ml_system_design")["rows"]
    _history_rows(rows)
    assert [row["is_self_score"] for row in rows] == [True, False]
    for row in rows:
        expected = TEMPLATE_ROW.render(Context({"row": row}))
        assert re.sub(r"\s+", " ", row["html"]).strip() == re.sub(r"\s+", " ", expected).strip()
    assert "&lt;i&gt;Feed &amp; &quot;ranking&quot;&lt;/i&gt;" in rows[0]["html"]
    assert "<i>" not in rows[0]["html"] and "Peer mock" in rows[1]["html"]


def test_an_empty_history_points_to_the_prompts(alice_client):
    from django.urls import reverse

    html = alice_client.get(reverse("mocks:history")).content.decode()
    assert "No scored mocks yet" in html
    assert f'href="{reverse("mocks:prompt_list")}"' in html
    assert f'href="{reverse("mocks:history")}?kind=coding"' in html  # the tabs
