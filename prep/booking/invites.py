"""The iCalendar invite of a booking (RFC 5545 / 5546 iTIP).

The UID is the booking's own and never changes; SEQUENCE is the booking's sequence,
raised by every change (reschedule, cancellation), so calendar clients replace the
event they hold. A cancellation is METHOD:CANCEL with STATUS:CANCELLED.

Each person gets their own copy: it names the other person by display name only (in the
summary), the organizer is the app's own sender address, and the one attendee is the
reader themselves. No email address of the other person is ever in an invite.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

from prep.accounts.people import display_name

from .models import Booking

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def booking_url(booking: Booking) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("booking:detail", args=[booking.pk])


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'noreply@prep.localhost'}")
    organizer.params["cn"] = vText(name or "Prep")
    return organizer


def _attendee(user, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(display_name(user))
    address.params["role"] = vText("REQ-PARTICIPANT" if role == "guest" else "CHAIR")
    return address


def booking_calendar(
    booking: Booking, *, method: str, for_user, stamp: dt.datetime | None = None
) -> bytes:
    """``for_user``'s .ics of ``booking`` (``method`` is REQUEST or CANCEL)."""
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
    other = booking.guest if for_user.pk == booking.host_id else booking.host
    event.add("summary", f"Prep peer mock: {booking.get_kind_display()} with {display_name(other)}")
    url = booking_url(booking)
    lines = [f"Booking page: {url}"]
    if booking.meeting_url:
        lines.append(f"Meeting link: {booking.meeting_url}")
        event.add("location", booking.meeting_url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event["organizer"] = _organizer()
    event.add("attendee", _attendee(for_user, booking.role_of(for_user)), encode=0)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()
