"""Reminders: found from the database, claimed with a lease, recorded, sent once."""

import datetime as dt
from unittest import mock

import pytest
from django.test import Client

from prep.booking import services
from prep.booking.models import Booking, Reminder
from tests.booking.factories import SlotFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(alice, verified_bob):
    slot = SlotFactory(host=alice, starts_at=in_days(3))
    made = services.booking_create(guest=verified_bob, slot=slot)
    Booking.objects.filter(pk=made.pk).update(created_at=slot.starts_at - dt.timedelta(days=3))
    made.refresh_from_db()
    return made


def sweep(now):
    sent = 0
    for reminder_id in services.reminders_due(now=now):
        sent += services.reminder_send(reminder_id=reminder_id, now=now)
    return sent


def test_each_reminder_is_sent_once_per_person(booking, outbox):
    outbox.clear()
    too_early = booking.starts_at - dt.timedelta(hours=25)
    assert sweep(too_early) == 0
    day_before = booking.starts_at - dt.timedelta(hours=23, minutes=58)
    assert sweep(day_before) == 2
    # The same window swept again: nothing more.
    assert sweep(day_before + dt.timedelta(minutes=5)) == 0
    hour_before = booking.starts_at - dt.timedelta(minutes=55)
    assert sweep(hour_before) == 2
    assert sweep(hour_before + dt.timedelta(minutes=5)) == 0
    assert len(outbox) == 4
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"24h", "1h"}
    assert not Reminder.objects.filter(sent_at=None).exists()
    message = outbox[0]
    assert "List-Unsubscribe" in message.extra_headers
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_worker_killed_mid_send_leaves_it_for_the_next_sweep(booking, outbox):
    outbox.clear()
    now = booking.starts_at - dt.timedelta(minutes=50)
    ids = services.reminders_due(now=now)
    assert len(ids) == 2
    with (
        mock.patch.object(services, "_reminder_email", side_effect=SystemExit("killed")),
        pytest.raises(SystemExit),
    ):
        services.reminder_send(reminder_id=ids[0], now=now)
    claimed = Reminder.objects.get(pk=ids[0])
    assert claimed.sent_at is None and claimed.claimed_until > now
    # Another worker during the lease does not send it twice.
    assert services.reminder_send(reminder_id=ids[0], now=now + dt.timedelta(minutes=1)) is False
    assert services.reminders_due(now=now + dt.timedelta(minutes=1)) == [ids[1]]
    # Once the lease has expired, the next sweep sends it.
    later = now + services.REMINDER_LEASE + dt.timedelta(minutes=1)
    assert sweep(later) == 2
    assert Reminder.objects.get(pk=ids[0]).sent_at is not None
    assert len(outbox) == 2


def test_cancelled_bookings_get_no_reminder(booking, outbox, alice):
    services.booking_cancel(booking=booking, by=alice, reason="ill")
    outbox.clear()
    assert sweep(booking.starts_at - dt.timedelta(minutes=30)) == 0
    assert outbox == []


def test_a_late_booking_gets_no_day_before_reminder(alice, verified_bob, outbox):
    slot = SlotFactory(host=alice, starts_at=in_days(3))
    booking = services.booking_create(guest=verified_bob, slot=slot)
    Booking.objects.filter(pk=booking.pk).update(created_at=slot.starts_at - dt.timedelta(hours=5))
    outbox.clear()
    assert sweep(slot.starts_at - dt.timedelta(hours=4)) == 0
    assert sweep(slot.starts_at - dt.timedelta(minutes=30)) == 2


def test_one_click_unsubscribe_stops_reminders(client, booking, verified_bob, outbox):
    token = services.unsubscribe_token(verified_bob)
    response = client.get(f"/booking/unsubscribe/{token}/")
    assert response.status_code == 200 and b"Stop reminders" in response.content
    one_click = Client(enforce_csrf_checks=True)  # a mail client posts without a CSRF token
    response = one_click.post(f"/booking/unsubscribe/{token}/")
    assert response.status_code == 200
    verified_bob.booking_settings.refresh_from_db()
    assert verified_bob.booking_settings.reminder_emails is False
    outbox.clear()
    assert sweep(booking.starts_at - dt.timedelta(minutes=30)) == 1
    assert outbox[0].to == ["alice@example.com"]
    assert client.post("/booking/unsubscribe/forged/").status_code == 400
