"""The booking reads other apps compose (the dashboard's booked mocks, capture's "may this
user record this booking"): their rules are tested here, with their owner."""

import datetime as dt

import pytest

from prep.booking import selectors
from prep.booking.models import Booking
from prep.mocks.models import Prompt

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)


def _booking(host, guest, *, starts_in_hours: float, status=Booking.Status.BOOKED):
    starts_at = NOW + dt.timedelta(hours=starts_in_hours)
    return Booking.objects.create(
        host=host,
        guest=guest,
        kind="ml_system_design",
        prompt=Prompt.objects.filter(kind="ml_system_design").first(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        status=status,
    )


def test_upcoming_are_active_bookings_not_yet_ended_as_host_or_guest_soonest_first(
    alice, bob, charlie
):
    _booking(alice, bob, starts_in_hours=-2)  # ended an hour ago
    in_progress = _booking(bob, alice, starts_in_hours=-0.5)  # ends in half an hour
    _booking(alice, bob, starts_in_hours=5, status=Booking.Status.CANCELLED)
    later = _booking(alice, charlie, starts_in_hours=48)
    sooner = _booking(charlie, alice, starts_in_hours=24)
    _booking(bob, charlie, starts_in_hours=3)  # not alice's
    assert selectors.upcoming_for(alice, now=NOW) == [in_progress, sooner, later]
    assert selectors.upcoming_for(alice, limit=2, now=NOW) == [in_progress, sooner]


def test_an_active_booking_is_found_only_for_the_people_in_it(alice, bob, charlie):
    booked = _booking(alice, bob, starts_in_hours=1)
    cancelled = _booking(alice, bob, starts_in_hours=3, status=Booking.Status.CANCELLED)
    assert selectors.active_booking_for(user=alice, booking_id=booked.pk) == booked
    assert selectors.active_booking_for(user=bob, booking_id=booked.pk) == booked
    assert selectors.active_booking_for(user=charlie, booking_id=booked.pk) is None
    assert selectors.active_booking_for(user=alice, booking_id=cancelled.pk) is None
