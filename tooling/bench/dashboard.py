"""Benchmark: the pages a candidate opens every day, in-process.

    python -m tooling.bench.dashboard                   # PostgreSQL at BENCH_DATABASE_URL
    python -m tooling.bench.dashboard --profile /plan/  # cProfile of one page, top functions

A fresh test database (``test_dashboard_bench_<pid>``: two can run at once) on BENCH_DATABASE_URL's server (default the
local PostgreSQL), loaded (``load_content``) and seeded as the load test seeds it
(``seed_demo --users 20 --days 60``: plans, cards and review logs, drill attempts, mocks,
progress events), then destroyed. The busiest seeded user's dashboard, flashcards review page
and plan page are each fetched ``--requests`` times through Django's full request stack
(middleware, session, auth, view, template) with the test client, on one kept connection (as
gunicorn with CONN_MAX_AGE keeps one), and the medians printed with each page's query count.

Prints one figure a line: ``bench: <name> = <value> <unit> (<database>, <server>, <size>)``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

from tooling.bench.env import django_for_bench_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PAGES = [
    ("dashboard_page_median", "/dashboard/"),
    ("flashcards_review_page_median", "/flashcards/review/"),
    ("plan_page_median", "/plan/"),
]


def run(*, users: int, days: int, requests: int, profile: str | None) -> list[str]:
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from prep.flashcards.models import ReviewLog

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    vendor = connection.vendor
    lines = []
    quiet = open(os.devnull, "w")
    try:
        call_command("load_content", verbosity=0, stdout=quiet)
        call_command(
            "seed_demo", users=users, days=days, transcripts=users, segments="50-100", stdout=quiet
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, after the bulk load
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        busiest = (
            ReviewLog.objects.values("user_id").annotate(n=Count("id")).order_by("-n", "user_id")
        )[0]
        user = get_user_model().objects.get(pk=busiest["user_id"])
        client = Client()
        client.force_login(user)
        size = f"seed_demo {users} users x {days} days; {busiest['n']} review logs"
        server = "django test client, in-process"
        for name, url in PAGES:
            if profile and url != profile:
                continue
            for _ in range(3):  # warm: templates, prepared statements
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            executed = [
                f"{float(q['time']) * 1000:.2f} ms {q['sql']}" for q in captured.captured_queries
            ]
            if profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(requests):
                    client.get(url)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(
                    r"/(prep|curriculum)/", 40
                )
                for sql in executed:
                    print(sql[:300])
                continue
            samples, cpu = [], []
            for _ in range(requests):
                t0, c0 = time.perf_counter(), time.thread_time()
                client.get(url)
                samples.append(time.perf_counter() - t0)
                cpu.append(time.thread_time() - c0)
            ms = statistics.median(samples) * 1000
            # The CPU time of this process (not PostgreSQL's): steadier than the wall clock on
            # a busy machine, for comparing two versions of a page.
            lines.append(
                f"bench: {name} = {ms:.1f} ms (median of {requests}; CPU median "
                f"{statistics.median(cpu) * 1000:.1f} ms; {len(executed)} queries) "
                f"({vendor}, {server}, {size})"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", default=None, help="a page's URL: print its profile")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    django_for_bench_on(url, None, test_name=f"test_dashboard_bench_{os.getpid()}")
    for line in run(users=args.users, days=args.days, requests=args.requests, profile=args.profile):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
