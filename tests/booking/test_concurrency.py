"""Double booking is impossible under real concurrency (PostgreSQL, real threads).

50 threads book the same slot; 50 threads book partly overlapping slots that all
involve one person, as host in some and as guest in others. Exactly one of each wins,
every round; the others get a clear "just taken" answer.
"""

import datetime as dt
import threading

import pytest
from django.db import connection

from prep.booking import services
from prep.booking.models import Booking, Participant, Slot
from tests.booking.factories import SlotFactory, in_days, verify
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 50
ROUNDS = 3


def race(jobs):
    """Run ``jobs`` [(guest_id, slot_id)] at once; return (successes, refusals)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    barrier = threading.Barrier(len(jobs))
    results = []
    lock = threading.Lock()

    def run(guest_id, slot_id):
        try:
            guest = User.objects.get(pk=guest_id)
            slot = Slot.objects.select_related("host").get(pk=slot_id)
            barrier.wait(timeout=30)
            try:
                booking = services.booking_create(guest=guest, slot=slot)
                outcome = ("ok", booking.pk)
            except services.SlotTaken as exc:
                outcome = ("taken", str(exc))
            except Exception as exc:  # noqa: BLE001 - any other answer fails the test
                outcome = ("error", repr(exc))
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == len(jobs), "a thread did not finish"
    return results


def users(n, prefix):
    return [verify(UserFactory(email=f"{prefix}{i}@example.com")).pk for i in range(n)]


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_fifty_threads_one_slot(catalogue, fast_passwords, alice):
    guests = users(THREADS, "guest")
    for round_ in range(ROUNDS):
        slot = SlotFactory(host=alice, starts_at=in_days(3 + round_))
        results = race([(g, slot.pk) for g in guests])
        kinds = [r[0] for r in results]
        assert kinds.count("ok") == 1, results
        assert kinds.count("taken") == THREADS - 1, [r for r in results if r[0] == "error"]
        assert all("Just taken" in r[1] for r in results if r[0] == "taken")
        assert Booking.objects.filter(slot=slot, status="booked").count() == 1


def test_fifty_threads_overlapping_slots_of_one_person_as_host_and_guest(
    catalogue, fast_passwords, alice
):
    others = users(THREADS, "other")
    hosts = users(THREADS, "host")
    verify(alice)
    for round_ in range(ROUNDS):
        base = in_days(3 + round_, hour=9)
        jobs = []
        for i in range(THREADS):
            # Every slot overlaps every other (start offsets < 60 minutes).
            start = base + dt.timedelta(minutes=i)
            if i % 2 == 0:  # alice hosts; another person books
                slot = SlotFactory(host=alice, starts_at=start, kind="coding")
                jobs.append((others[i], slot.pk))
            else:  # alice books someone else's slot as guest
                slot = SlotFactory(host_id=hosts[i], starts_at=start)
                jobs.append((alice.pk, slot.pk))
        results = race(jobs)
        kinds = [r[0] for r in results]
        assert kinds.count("ok") == 1, [r for r in results if r[0] != "taken"]
        assert kinds.count("taken") == THREADS - 1
        window = (base, base + dt.timedelta(hours=2))
        assert (
            Participant.objects.filter(
                user=alice, active=True, starts_at__gte=window[0], starts_at__lt=window[1]
            ).count()
            == 1
        )


def test_the_exclusion_constraint_refuses_overlap_without_the_python_check(
    catalogue, fast_passwords, alice, bob
):
    """The database itself refuses, even if the service's check is skipped."""
    from django.db import IntegrityError, transaction

    verify(bob)
    first = services.booking_create(guest=bob, slot=SlotFactory(host=alice))
    with (
        pytest.raises(IntegrityError, match="booking_participant_no_overlap"),
        transaction.atomic(),
    ):
        Participant.objects.create(booking=first, user=UserFactory(), role="guest",
                                   starts_at=first.starts_at, ends_at=first.ends_at)  # fmt: skip
        Participant.objects.create(
            booking=Booking.objects.create(
                slot=None, host=bob, guest=UserFactory(), kind="coding", prompt=first.prompt,
                starts_at=first.starts_at + dt.timedelta(minutes=30),
                ends_at=first.ends_at + dt.timedelta(minutes=30),
            ),
            user=alice, role="guest",
            starts_at=first.starts_at + dt.timedelta(minutes=30),
            ends_at=first.ends_at + dt.timedelta(minutes=30),
        )  # fmt: skip
