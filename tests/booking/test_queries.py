"""Page query counts do not grow with the data (same exact count at two sizes)."""

import datetime as dt

import pytest
from django.urls import reverse

from prep.booking import services
from prep.booking.models import Booking
from tests.booking.factories import SlotFactory, in_days, verify
from tests.budget import SESSION
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def build(alice, size: int):
    """``size`` bookings of alice's (half hosted, half as guest, some past, some cancelled),
    plus ``size`` open slots of other peers."""
    verify(alice)
    for i in range(size):
        peer = verify(UserFactory())
        start = in_days(2 + i, hour=8 + (i % 8))
        if i % 2:
            booking = services.booking_create(
                guest=alice, slot=SlotFactory(host=peer, starts_at=start)
            )
        else:
            booking = services.booking_create(
                guest=peer, slot=SlotFactory(host=alice, starts_at=start)
            )
        if i % 3 == 0:
            Booking.objects.filter(pk=booking.pk).update(
                starts_at=start - dt.timedelta(days=60),
                ends_at=start - dt.timedelta(days=60, hours=-1),
            )
        if i % 5 == 0:
            Booking.objects.filter(pk=booking.pk).update(status="cancelled")
        SlotFactory(host=peer, starts_at=in_days(40 + i))
        services.window_create(user=alice, kind="coding", weekday=i % 7,
                               start_time=dt.time(6), end_time=dt.time(7))  # fmt: skip
    return Booking.objects.filter(host=alice).first()


PAGES = {
    "home": SESSION + 6,
    "slots": SESSION + 2,
    "availability": SESSION + 5,
    "detail": SESSION + 6,
    "match": SESSION + 4,
}


@pytest.mark.parametrize("size", [3, 12])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_is_flat(client, alice, django_assert_num_queries, size, page):
    booking = build(alice, size)
    client.force_login(alice)
    client.get(reverse("booking:home"))  # the lazy slot refresh runs once, not per view
    args = [booking.pk] if page == "detail" else []
    with django_assert_num_queries(PAGES[page]):
        response = client.get(reverse(f"booking:{page}", args=args))
    assert response.status_code == 200
