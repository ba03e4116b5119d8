"""The iCalendar invite of a booking (RFC 5545 / 5546 iTIP).

The UID is the booking's own and never changes; SEQUENCE is the booking's sequence,
raised by every change (reschedule, cancellation), so calendar clients replace the
event they hold. A cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Booking

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def booking_url(booking: Booking) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("booking:detail", args=[booking.pk])


def _address(user, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.get_full_name() or user.get_username())
    address.params["role"] = vText("REQ-PARTICIPANT" if role == "guest" else "CHAIR")
    return address


def booking_calendar(booking: Booking, *, method: str, stamp: dt.datetime | None = None) -> bytes:
    """The .ics body for ``booking`` (``method`` is REQUEST or CANCEL)."""
    cal = Calendar()
    cal.add("prodid", "-//Prep//Peer mock booking//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", f"{booking.uid}@prep")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp or dt.datetime.now(dt.UTC))
    event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
    event.add("dtend", booking.ends_at.astimezone(dt.UTC))
    event.add("summary", f"Peer mock: {booking.get_kind_display()}")
    url = booking_url(booking)
    lines = [f"Booking page: {url}"]
    if booking.meeting_url:
        lines.append(f"Meeting link: {booking.meeting_url}")
        event.add("location", booking.meeting_url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    if booking.host is not None:
        event["organizer"] = _address(booking.host, "host")
    for user, role in ((booking.host, "host"), (booking.guest, "guest")):
        if user is not None:  # None: a deleted account
            event.add("attendee", _address(user, role), encode=0)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()
