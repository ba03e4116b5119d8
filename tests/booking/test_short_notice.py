"""Issue 23: a short-notice booking can be undone, and booking one's own slot again says so."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prep.booking import services
from tests.booking.factories import SlotFactory

pytestmark = pytest.mark.django_db


def test_a_booking_made_35_minutes_ahead_can_be_cancelled_in_its_first_15_minutes(
    alice, verified_bob
):
    now = timezone.now()
    slot = SlotFactory(host=alice, starts_at=now + dt.timedelta(minutes=35))
    booking = services.booking_create(guest=verified_bob, slot=slot, now=now)
    booking.refresh_from_db()
    assert services.change_deadline(booking) == booking.created_at + dt.timedelta(minutes=15)
    later = booking.created_at + dt.timedelta(minutes=16)
    with pytest.raises(services.BookingError, match="first 15 minutes"):
        services.booking_cancel(booking=booking, by=verified_bob, reason="oops", now=later)
    soon = booking.created_at + dt.timedelta(minutes=10)
    cancelled = services.booking_cancel(booking=booking, by=verified_bob, reason="oops", now=soon)
    assert cancelled.status == "cancelled"


def test_a_booking_made_days_ahead_closes_two_hours_before(alice, verified_bob, slot):
    booking = services.booking_create(guest=verified_bob, slot=slot)
    assert services.change_deadline(booking) == slot.starts_at - services.CANCEL_CUTOFF


def test_booking_your_own_booked_slot_again_says_you_hold_it(client, alice, verified_bob, slot):
    first = services.booking_create(guest=verified_bob, slot=slot)
    with pytest.raises(services.SlotHeld, match="already hold this slot"):
        services.booking_create(guest=verified_bob, slot=slot)
    client.force_login(verified_bob)
    response = client.post(
        reverse("booking:slot_book", args=[slot.pk]),
        {"idempotency_key": "second-click"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("booking:detail", args=[first.pk])
    assert "already hold this slot" in response.content.decode()
    assert "someone booked" not in response.content.decode()


def test_the_detail_page_states_the_change_rule_in_the_users_zone(client, alice, verified_bob):
    verified_bob.profile.timezone = "America/New_York"
    verified_bob.profile.save()
    slot = SlotFactory(host=alice)
    booking = services.booking_create(guest=verified_bob, slot=slot)
    client.force_login(verified_bob)
    page = client.get(reverse("booking:detail", args=[booking.pk])).content.decode()
    deadline = services.change_deadline(booking).astimezone(
        __import__("zoneinfo").ZoneInfo("America/New_York")
    )
    assert f"{deadline:%H:%M} America/New_York" in page
    assert "first 15 minutes" in page
