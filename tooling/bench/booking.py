"""Booking benchmark: ``python -m tooling.bench.booking`` prints one figure a line.

Uses BENCH_DATABASE_URL (default: the local PostgreSQL, database ``postgres``) through
DATABASE_URL, builds a throw-away test database (``test_booking_bench``), loads the
prompts, and measures: uncontended bookings per second, 50 threads racing for one slot
(how long until all are answered, and how many won), the "find a peer" page over many
open slots (Django test client, in-process, after ANALYZE as autovacuum would have run it),
and one reminder sweep.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import threading
import time

HOSTS = 200
SLOTS_PER_HOST = 10
SEQUENTIAL = 200
RACERS = 50


def main() -> int:
    from tooling.bench.env import django_for_bench

    django_for_bench()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from prep.celery import app

    app.conf.task_always_eager = True
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_booking_bench_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("load_content", "--only", "mocks", verbosity=0, stdout=open(os.devnull, "w"))
        return _run(connection.vendor)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _users(prefix: str, n: int, role: str = "mle"):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from prep.accounts.models import Profile

    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{i}", email=f"{prefix}{i}@bench.local", password="!")
        for i in range(n)
    )
    Profile.objects.bulk_create(
        Profile(user=u, role=role, timezone="Europe/Berlin", onboarded_at=timezone.now())
        for u in users
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    return list(User.objects.filter(pk__in=[u.pk for u in users]).select_related("profile"))


def _run(vendor: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from prep.booking import services
    from prep.booking.models import Booking, Slot

    server = "services in-process"
    page_server = "in-process (Django test client)"
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    hosts = _users("host", HOSTS)
    guests = _users("guest", SEQUENTIAL + RACERS)
    Slot.objects.bulk_create(
        Slot(
            host=h,
            kind="ml_system_design",
            starts_at=base + dt.timedelta(hours=2 * j + i % 2),
            ends_at=base + dt.timedelta(hours=2 * j + i % 2, minutes=60),
        )  # fmt: skip
        for i, h in enumerate(hosts)
        for j in range(SLOTS_PER_HOST)
    )
    size = f"{HOSTS * SLOTS_PER_HOST} slots"

    # 1. Uncontended bookings: each guest books a different host's first slot.
    firsts = list(
        Slot.objects.filter(starts_at__lt=base + dt.timedelta(hours=2)).select_related("host")
    )[:SEQUENTIAL]
    start = time.perf_counter()
    for guest, slot in zip(guests, firsts, strict=False):
        services.booking_create(guest=guest, slot=slot)
    rate = len(firsts) / (time.perf_counter() - start)
    print(f"bench: booking_create = {rate:.0f} bookings/s ({vendor}, {server}, {size})")

    # 2. 50 threads race for one slot.
    target = Slot.objects.filter(starts_at__gte=base + dt.timedelta(hours=10)).first()
    racers = guests[SEQUENTIAL:]
    barrier = threading.Barrier(RACERS)
    wins = []

    def race(guest):
        try:
            barrier.wait()
            try:
                services.booking_create(guest=guest, slot=target)
                wins.append(guest.pk)
            except services.SlotTaken:
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(g,)) for g in racers]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = (time.perf_counter() - start) * 1000
    print(
        f"bench: booking_race_{RACERS}_threads = {elapsed:.0f} ms until all answered, "
        f"{len(wins)} winner ({vendor}, {server}, 1 slot)"
    )

    # 3. The "find a peer" page, once the tables are analysed as autovacuum would have done
    # after the bulk of slots and bookings (without statistics the planner reads every slot).

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(racers[0])
    client.get("/booking/slots/?kind=ml_system_design")
    samples = []
    for _ in range(30):
        t = time.perf_counter()
        response = client.get("/booking/slots/?kind=ml_system_design")
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    print(
        f"bench: booking_find_a_peer_page = {statistics.median(samples):.1f} ms median "
        f"({vendor}, {page_server}, {size})"
    )

    # 4. One reminder sweep with every booking due for its 24-hour reminder.
    Booking.objects.update(created_at=base - dt.timedelta(days=7))
    now = base - dt.timedelta(hours=23)
    t = time.perf_counter()
    due = services.reminders_due(now=now)
    sweep_ms = (time.perf_counter() - t) * 1000
    count = Booking.objects.count()
    print(
        f"bench: booking_reminder_sweep = {sweep_ms:.0f} ms for {len(due)} reminders "
        f"({vendor}, beat task in-process, {count} bookings)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
