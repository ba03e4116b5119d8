"""Benchmark: rubric feedback writes and the score-history page.

    python -m tooling.bench.mocks                 # SQLite file in a temporary directory
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m tooling.bench.mocks

One user with ``--mocks`` completed ML system design mocks (each self-scored through the
services, so each also reported progress). Measures ``feedback_submit`` (peer feedback for
a booking: validation against the rubric, one feedback row and seven score rows) and the
full request of ``/mocks/history/`` (middleware, session, view, template) in-process. The
database is a fresh test database (``test_mocks_bench``), created and destroyed by the run.

Prints one figure a line: ``bench: <name> = <value> <unit> (<database>, <server>, <size>)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time

from tooling.bench.env import django_for_bench_on


def run(*, mocks: int, writes: int, requests: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.utils import timezone

    from prep.accounts.models import Profile
    from prep.mocks import services
    from prep.mocks.models import Prompt, Rubric

    # As Django's test runner does: keep one connection across requests (no reconnect cost
    # per request, and the query log survives for the query count).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    vendor = connection.vendor
    lines = []
    try:
        call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
        rng = random.Random(7)
        users = []
        for name in ("bench", "peer"):
            u = get_user_model().objects.create_user(name, f"{name}@example.com", "x")
            Profile.objects.update_or_create(
                user=u,
                defaults={
                    "role": "mle",
                    "weekdays": [0, 1, 2, 3, 4],
                    "onboarded_at": timezone.now(),
                },
            )
            users.append(u)
        user, peer = users
        prompts = list(Prompt.objects.active().filter(kind="ml_system_design"))
        dims = Rubric.objects.get(kind="ml_system_design").dimension_slugs
        start = timezone.now() - dt.timedelta(days=mocks + 1)
        for i in range(mocks):
            at = start + dt.timedelta(days=i)
            mock = services.solo_mock_start(user=user, prompt=rng.choice(prompts), now=at)
            services.solo_mock_finish(mock=mock, now=at + dt.timedelta(minutes=45))
            services.solo_mock_complete(
                mock=mock,
                scores={d: rng.randint(1, 4) for d in dims},
                comments={d: "comment" for d in dims},
                notes="notes",
                now=at + dt.timedelta(minutes=50),
            )

        timings = []
        for i in range(writes):
            scores = {d: rng.randint(1, 4) for d in dims}
            t0 = time.perf_counter()
            services.feedback_submit(
                author=peer,
                subject=user,
                kind="ml_system_design",
                scores=scores,
                comments={"framing": "clear"},
                notes="peer notes",
                context_key=f"booking:{i}",
            )
            timings.append(time.perf_counter() - t0)
        per_s = len(timings) / sum(timings)
        size = f"{mocks} mocks + {writes} peer feedbacks"
        lines.append(
            f"bench: mocks_feedback_submit = {per_s:.0f} feedbacks/s ({vendor}, in-process, {size})"
        )

        client = Client()
        client.force_login(user)
        url = "/mocks/history/?kind=ml_system_design"
        warm = client.get(url)
        assert warm.status_code == 200, warm.status_code
        page_times = []
        executed = []
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: (
                executed.append(sql) or execute(sql, params, many, context)
            )
        ):
            client.get(url)
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get(url)
            page_times.append(time.perf_counter() - t0)
            assert response.status_code == 200
        median = statistics.median(page_times) * 1000
        p95 = sorted(page_times)[int(len(page_times) * 0.95) - 1] * 1000
        lines.append(
            f"bench: mocks_history_page_median = {median:.1f} ms ({vendor}, in-process, {size})"
        )
        lines.append(f"bench: mocks_history_page_p95 = {p95:.1f} ms ({vendor}, in-process, {size})")
        lines.append(
            f"bench: mocks_history_page_queries = {len(executed)} queries "
            f"({vendor}, in-process, {size})"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mocks", type=int, default=200)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL") or None
    with tempfile.TemporaryDirectory() as tmp:
        django_for_bench_on(
            database_url,
            os.path.join(tmp, "bench.sqlite3"),
            test_name=f"test_mocks_bench_{os.getpid()}",
        )
        for line in run(mocks=args.mocks, writes=args.writes, requests=args.requests):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
