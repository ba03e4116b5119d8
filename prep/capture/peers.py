"""The seam to peer bookings, without importing the booking app.

Capture needs two facts about a booking: who takes part (host and guest) and whether a
given user is one of them. ``booking_model_lookup`` reads them from ``booking.Booking``
(through the app registry, so nothing here imports the booking app); CaptureConfig.ready()
registers it. Tests register their own lookup with ``register_booking_lookup``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BookingRef:
    id: int
    host_id: int
    guest_id: int | None
    title: str = ""

    def participant_of(self, user) -> str | None:
        """ "host", "guest" or None for ``user``."""
        if user.pk == self.host_id:
            return "host"
        if self.guest_id is not None and user.pk == self.guest_id:
            return "guest"
        return None

    @property
    def user_ids(self) -> list[int]:
        return [uid for uid in (self.host_id, self.guest_id) if uid is not None]


_lookup: Callable[[int], BookingRef | None] | None = None


def register_booking_lookup(
    func: Callable[[int], BookingRef | None] | None,
) -> Callable[[int], BookingRef | None] | None:
    """Use ``func`` to find bookings; returns the lookup it replaces."""
    global _lookup
    previous, _lookup = _lookup, func
    return previous


def booking_model_lookup(booking_id: int) -> BookingRef | None:
    """A booked (not cancelled) ``booking.Booking`` as a BookingRef, or None."""
    from django.apps import apps

    try:
        model = apps.get_model("booking", "Booking")
    except LookupError:
        return None
    row = (
        model.objects.filter(pk=booking_id, status="booked")
        .values("id", "host_id", "guest_id", "kind", "starts_at")
        .first()
    )
    if row is None:
        return None
    title = (
        f"{row['kind'].replace('_', ' ').capitalize()} mock, {row['starts_at']:%d %b %Y %H:%M} UTC"
    )
    return BookingRef(id=row["id"], host_id=row["host_id"], guest_id=row["guest_id"], title=title)


def booking_for_user(*, user, booking_id: int) -> BookingRef | None:
    """The booking if ``user`` takes part in it, else None (so callers answer 404)."""
    if _lookup is None:
        return None
    ref = _lookup(booking_id)
    if ref is None or ref.participant_of(user) is None:
        return None
    return ref
