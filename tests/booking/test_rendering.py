"""The slot table's rows are written in Python (``rendering.slot_rows``): the same markup as
the template row they replaced, every value escaped, the private link's token kept."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from prep.booking import rendering
from prep.booking.models import Slot
from tests.booking.factories import SlotFactory, in_days

pytestmark = pytest.mark.django_db

# The row as booking/_slot_table.html wrote it before rendering.slot_rows (with the date
# filters and the URL reverse the views' helper had taken over).
TEMPLATE_ROW = Template(
    """{% load accounts_tags %}{% with when=slot.starts_at|date:"D j M, H:i" kind=slot.get_kind_display who=slot.host|person %}
          <tr data-testid="slot-{{ slot.pk }}">
            <td class="nowrap"><time datetime="{{ slot.at_utc }}">{{ when }}–{{ slot.ends_at|date:"H:i" }}</time></td>
            <td>{{ kind }}{% if slot.offers_swap %} <span class="badge badge--neutral">swap</span>{% endif %}</td>
            <td>{{ who }}</td>
            <td>{{ slot.host.profile.get_role_display|default:"—" }}</td>
            <td class="text-right"><a class="btn btn--primary btn--sm" href="{% url 'booking:slot_book' slot.pk %}{% if via %}?via={{ via|urlencode }}{% endif %}" aria-label="Book {{ kind }} with {{ who }} on {{ when }}">Book</a></td>
          </tr>
          {% endwith %}"""  # noqa: E501
)


def _template_row(slot, via):
    slot.at_utc = slot.starts_at.astimezone(dt.UTC).isoformat()
    return Template.render(TEMPLATE_ROW, Context({"slot": slot, "via": via})).strip()


@pytest.mark.parametrize("via", ["", 'tok&<en> "x"/y'])
def test_rows_are_the_template_rows_escaped(alice, charlie, via):
    alice.profile.display_name = '<b>Al & "Co"</b>'
    alice.profile.save()
    SlotFactory(host=alice, offers_swap=True)
    SlotFactory(host=alice, kind="coding", offers_swap=False, starts_at=in_days(4, hour=9))
    charlie.profile.delete()
    SlotFactory(host=charlie, kind="behavioral", starts_at=in_days(5, hour=23))
    rows = rendering.slot_rows(
        list(Slot.objects.select_related("host", "host__profile").order_by("starts_at")), via=via
    )
    assert len(rows) == 3
    for slot in rows:
        expected = _template_row(slot, via)
        assert re.sub(r"\s+", " ", str(slot.row)) == re.sub(r"\s+", " ", expected)
        assert "<b>" not in slot.row
    assert "&lt;b&gt;Al &amp; &quot;Co&quot;&lt;/b&gt;" in rows[0].row
    assert ">—</td>" in rows[2].row  # no profile: no role type
    if via:
        assert "?via=tok%26%3Cen%3E%20%22x%22/y" in rows[0].row


def test_a_filter_form_with_errors_shows_them(alice_client):
    html = alice_client.get(reverse("booking:slots"), {"kind": "<bogus>"}).content.decode()
    assert "Select a valid choice" in html and "<bogus>" not in html


def test_rows_read_only_the_row_fields(alice, bob, charlie, django_assert_num_queries):
    from prep.booking import selectors

    SlotFactory(host=alice)
    SlotFactory(host=charlie, starts_at=in_days(4))
    with django_assert_num_queries(1):  # no deferred column is read row by row
        rows = rendering.slot_rows(
            list(selectors.open_slots(user=bob).only(*rendering.ROW_FIELDS)), via="t"
        )
    assert len(rows) == 2 and all("?via=t" in slot.row for slot in rows)
