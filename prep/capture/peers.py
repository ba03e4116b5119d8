"""The seam to peer bookings, without importing the booking app.

Capture needs two facts about a booking: who takes part (host and guest) and whether a
given user is one of them. The booking app registers a lookup in its AppConfig.ready():

    from prep.capture.peers import BookingRef, register_booking_lookup
    register_booking_lookup(lambda booking_id: ...)  # -> BookingRef | None

Until one is registered, no booking can be found, so a capture can only be solo.
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


def register_booking_lookup(func: Callable[[int], BookingRef | None] | None) -> None:
    global _lookup
    _lookup = func


def booking_for_user(*, user, booking_id: int) -> BookingRef | None:
    """The booking if ``user`` takes part in it, else None (so callers answer 404)."""
    if _lookup is None:
        return None
    ref = _lookup(booking_id)
    if ref is None or ref.participant_of(user) is None:
        return None
    return ref
