"""The .ics invite: parsed back with icalendar, UTC times, a stable UID, SEQUENCE."""

import datetime as dt

import pytest
from icalendar import Calendar

from prep.booking import services
from tests.booking.factories import SlotFactory

pytestmark = pytest.mark.django_db


def parse(message):
    name, body, mimetype = message.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(body)
    (event,) = cal.walk("VEVENT")
    return cal, event


def test_invite_request_then_reschedule_then_cancel(
    django_capture_on_commit_callbacks, alice, verified_bob, slot, outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(guest=verified_bob, slot=slot)
    cal, event = parse(outbox[0])
    assert str(cal["method"]) == "REQUEST"
    uid = str(event["uid"])
    assert uid == f"{booking.uid}@prep"
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == slot.starts_at
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(0)
    assert event.decoded("dtend") == slot.ends_at
    # Each copy names its reader as the one attendee, and the other only by display name.
    for message in outbox:
        _, copy = parse(message)
        assert str(copy["attendee"]) == f"mailto:{message.to[0]}"
        assert "noreply@" in str(copy["organizer"])
    assert all("alice@" not in str(m.attachments[0][1]) for m in outbox if "bob" in m.to[0])
    assert all("bob@" not in str(m.attachments[0][1]) for m in outbox if "alice" in m.to[0])
    assert str(event["status"]) == "CONFIRMED"

    new = SlotFactory(host=alice, starts_at=slot.starts_at + dt.timedelta(days=1))
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_reschedule(booking=booking, by=alice, slot=new)
    cal, event = parse(outbox[0])
    assert str(cal["method"]) == "REQUEST" and str(event["uid"]) == uid
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == new.starts_at
    assert "Moved" in outbox[0].subject

    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, by=verified_bob, reason="Conflict at work")
    cal, event = parse(outbox[0])
    assert str(cal["method"]) == "CANCEL" and str(event["uid"]) == uid
    assert int(event["sequence"]) == 2
    assert str(event["status"]) == "CANCELLED"
    assert "Conflict at work" in outbox[0].body


def test_a_superseded_invite_is_not_sent(verified_bob, slot, outbox):
    booking = services.booking_create(guest=verified_bob, slot=slot)
    assert services.invites_send(booking_id=booking.pk, method="REQUEST", sequence=5) == 0
    assert services.invites_send(booking_id=booking.pk, method="REQUEST", sequence=0) == 2


def test_invite_emails_can_be_turned_off(alice, verified_bob, slot, outbox):
    services.settings_update(user=alice, meeting_url="", invite_emails=False, reminder_emails=True)
    booking = services.booking_create(guest=verified_bob, slot=slot)
    outbox.clear()
    assert services.invites_send(booking_id=booking.pk, method="REQUEST", sequence=0) == 1
    assert outbox[0].to == ["bob@example.com"]


def test_the_email_shows_the_time_in_each_persons_timezone(alice, verified_bob, outbox, travel):
    travel("2027-03-08 12:00")  # the slot is bookable (in the future) whatever the pinned date
    alice.profile.timezone = "Asia/Kolkata"
    alice.profile.save()
    slot = SlotFactory(host=alice, starts_at=dt.datetime(2027, 3, 16, 23, 0, tzinfo=dt.UTC))
    booking = services.booking_create(guest=verified_bob, slot=slot)
    outbox.clear()
    services.invites_send(booking_id=booking.pk, method="REQUEST", sequence=0)
    by_to = {m.to[0]: m.body for m in outbox}
    assert "Wednesday 17 March 2027, 04:30 (Asia/Kolkata)" in by_to["alice@example.com"]
    assert "Tuesday 16 March 2027, 23:00 (UTC)" in by_to["bob@example.com"]
