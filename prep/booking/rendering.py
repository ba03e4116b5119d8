"""The open-slot table's rows (``booking/_slot_table.html``), written in Python rather than
by the template engine: forty rows a page, each with a dozen lookups, a ``with`` and the
``person`` filter, were the largest part of the "find a peer" page's server time. The
markup is the whole of what a row shows; every value from a user (the host's display name,
the private-link token) or the database is escaped."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.safestring import mark_safe

from prep.accounts.models import Profile
from prep.accounts.people import display_name
from prep.lib.escaping import escape as _e

from .models import Slot

#: The columns ``slot_rows`` reads, for ``QuerySet.only``: a page of slots with their
#: hosts and profiles built whole read passwords, dates and settings nobody shows.
ROW_FIELDS = (
    "id",
    "host_id",
    "kind",
    "starts_at",
    "ends_at",
    "offers_swap",
    "host__id",
    "host__profile__id",
    "host__profile__user_id",
    "host__profile__display_name",
    "host__profile__role",
)


def slot_rows(slots: list, *, via: str = "") -> list:
    """Each slot with ``row``: its ``<tr>`` in the slot table. The start shows in the current
    timezone as the date filter's "D j M, H:i", the end as "H:i", the start in UTC (ISO
    8601) in ``<time datetime>``; the book link is reversed once for the page and carries
    ``?via=`` (a private link's token) when given."""
    sentinel = "918273645546372819"
    head, tail = reverse("booking:slot_book", args=[int(sentinel)]).split(sentinel)
    query = f"?via={quote(via, safe='/')}" if via else ""
    days = {i: str(name) for i, name in WEEKDAYS_ABBR.items()}
    months = {m: str(name).title() for m, name in MONTHS_3.items()}
    tz = timezone.get_current_timezone()  # what localtime() looks up again for every slot
    # get_FOO_display() per row, looked up once: the label, or the value itself if unknown.
    kinds = {k: str(v) for k, v in Slot._meta.get_field("kind").flatchoices}
    roles = {k: str(v) for k, v in Profile._meta.get_field("role").flatchoices}
    for slot in slots:
        start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
        when = _e(
            f"{days[start.weekday()]} {start.day} {months[start.month]}, "
            f"{start.hour:02d}:{start.minute:02d}"
        )
        kind = _e(kinds.get(slot.kind, slot.kind))
        who = _e(display_name(slot.host))
        profile = getattr(slot.host, "profile", None)
        role = _e((roles.get(profile.role, profile.role) if profile is not None else "") or "—")
        swap = ' <span class="badge badge--neutral">swap</span>' if slot.offers_swap else ""
        href = _e(f"{head}{slot.pk}{tail}{query}")
        slot.row = mark_safe(  # noqa: S308 - every value above is escaped
            f'<tr data-testid="slot-{slot.pk}">\n'
            f'            <td class="nowrap"><time datetime="'
            f'{_e(slot.starts_at.astimezone(dt.UTC).isoformat())}">'
            f"{when}–{end.hour:02d}:{end.minute:02d}</time></td>\n"
            f"            <td>{kind}{swap}</td>\n"
            f"            <td>{who}</td>\n"
            f"            <td>{role}</td>\n"
            f'            <td class="text-right"><a class="btn btn--primary btn--sm" href="{href}"'
            f' aria-label="Book {kind} with {who} on {when}">Book</a></td>\n'
            "          </tr>"
        )
    return slots
