"""Benchmark: the server time and query count of answer-and-next-card.

    python -m tooling.bench.flashcards            # PostgreSQL, then SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m tooling.bench.flashcards

Both databases, each in a child process: PostgreSQL at BENCH_DATABASE_URL (default: the local
server, database ``postgres``; the run creates and drops its own ``test_flashcards_bench_<pid>``)
and SQLite in a temporary directory. One user with 10,000 cards and 100,000 review logs (and,
as a real history would have, 100,000 progress events reported through the curriculum seam).
Each measured request is the htmx POST of a rating whose response is the rendering of the next
card (one request: the rating's write, then the next card's read and template), through
Django's full request stack (middleware, session, auth, view, template) in-process. After the
warm-up (``--warmup``), 20 requests count every query they run (session, user with profile,
BEGIN/COMMIT and savepoints; with a broker the session is read from Redis, as ``cached_db``
sessions are with REDIS_URL). The timed ones (``--requests``) run without the query log, as
the site does and as ``tooling.bench.dashboard`` times its pages: the debug cursor formats
every statement with its parameters, about 0.7 ms a request here. This process's CPU time
is reported beside the wall clock.
The collection is ``tooling.bench.flashcards_collection.build_collection``, which the query-count tests use.

Measured twice, as the site runs:

* with a broker (Redis at BENCH_REDIS_URL, default ``redis://127.0.0.1:6379/0``, on a queue of
  the run's own): the report to the curriculum is enqueued after the commit. This is the
  budget the site is held to (≤ 10 queries, p95 ≤ 15 ms). The queued reports are then run by
  a worker embedded in the run, which checks that every one reached the curriculum.
* eagerly (``CELERY_TASK_ALWAYS_EAGER``, the default without REDIS_URL): the report runs in the
  request, after the commit.

PostgreSQL's tables are analysed after the bulk load, as autovacuum would have done. On
PostgreSQL the run also says how many of the queue's executions (on the connection open at the
end of the timed requests) used the prepared statement's generic plan rather than one planned
for that call.

Prints one figure a line: ``bench: <name> = <value> <unit> (<database>, <server>, <size>)``.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from tooling.bench.env import django_for_bench_on, redis_reachable

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
COUNTED = 20  # requests whose queries are counted, between the warm-up and the timed ones


def _configure(database_url: str | None, sqlite_path: str, redis_url: str | None) -> None:
    django_for_bench_on(
        database_url,
        sqlite_path,
        test_name=f"test_flashcards_bench_{os.getpid()}",
        redis_url=redis_url,
        # The broker mode of the site; a queue of this run's own, so no other worker takes
        # these reports (and this run's worker takes no one else's).
        celery_queue=f"flashcards-bench-{os.getpid()}" if redis_url else None,
    )
    logging.getLogger("celery").setLevel(logging.WARNING)  # not a line per task


def _answer_loop(
    client, html: str, n: int, *, count: bool = False
) -> tuple[list[float], list[int], list[float], str]:
    """Answer ``n`` cards "Good" as the htmx page does: (ms per request, queries, CPU ms per
    request, last html). With ``count``, every query is logged and counted (the debug
    cursor's logging, which formats each statement with its parameters, is then part of the
    time, so timed runs leave it off, as ``tooling.bench.dashboard`` does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, cpu = [], [], []
    for _ in range(n):
        action = re.search(r'hx-post="(/flashcards/review/\d+/answer/[^"]*)"', html)
        token = re.search(r'name="token" value="([^"]+)"', html)
        if not action or not token:
            raise SystemExit("bench: no card to answer; the collection ran dry")
        connection.queries_log.clear()  # a full log (9,000) would count 0
        with CaptureQueriesContext(connection) if count else contextlib.nullcontext() as ctx:
            t, c = time.perf_counter(), time.thread_time()
            response = client.post(
                action.group(1).replace("&amp;", "&"),
                {"token": token.group(1), "rating": "3"},
                HTTP_HX_REQUEST="true",
            )
            elapsed, used = time.perf_counter() - t, time.thread_time() - c
        if response.status_code != 200:
            raise SystemExit(f"bench: answer returned {response.status_code}")
        html = response.content.decode()
        times.append(elapsed * 1000)
        cpu.append(used * 1000)
        if count:
            queries.append(len(ctx.captured_queries))
    return times, queries, cpu, html


def _queue_plans() -> tuple[int, int] | None:
    """On PostgreSQL, how many times the open connection ran the queue's prepared statement
    on its generic plan, and on plans made for the call's values (each planned afresh);
    None elsewhere. PostgreSQL keeps the generic plan when it costs no more than the
    custom ones do on average, planning included: a choice made from the statistics."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["%q.n_introduced%"],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, 0)


def _drain(user, expected: int, timeout: float = 300.0) -> int:
    """Run the queued reports with a worker embedded in this process; return how many of
    this user's reviews reached the curriculum."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connection

    from curriculum.models import ProgressEvent
    from prep.celery import app

    def close_connection(**_):  # the worker thread's own connection, so the db can be dropped
        connection.close()

    task_postrun.connect(close_connection, weak=False)
    reported = ProgressEvent.objects.filter(user=user, key__regex=r"^flashcards:review:[0-9]+$")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        deadline = time.monotonic() + timeout
        while reported.count() < expected and time.monotonic() < deadline:
            time.sleep(0.5)
    task_postrun.disconnect(close_connection)
    import redis

    queue = app.conf.task_default_queue
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
    redis.Redis.from_url(app.conf.broker_url).delete(
        f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
    )
    return reported.count()


def run(*, cards: int, logs: int, requests: int, warmup: int, broker: bool) -> list[str]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from prep.accounts.models import Profile
    from prep.celery import app
    from tooling.bench.flashcards_collection import build_collection

    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False, serialize=False
    )
    results: dict[str, tuple] = {}
    try:
        call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("bench", "bench@example.com", "x")
        Profile.objects.update_or_create(
            user=user,
            defaults={"role": "mle", "weekdays": [0, 1, 2, 3, 4], "onboarded_at": timezone.now()},
        )
        started = time.perf_counter()
        build_collection(user, cards=cards, logs=logs, slug="bench", progress_events=True)
        built_in = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

        client = Client()
        client.force_login(user)
        html = client.get("/flashcards/review/?deck=bench").content.decode()
        modes = (["broker"] if broker else []) + ["eager"]
        for mode in modes:
            app.conf.task_always_eager = mode == "eager"
            # Warm-up; then requests with every query counted; then the timed ones.
            _, _, _, html = _answer_loop(client, html, warmup)
            _, queries, _, html = _answer_loop(client, html, COUNTED, count=True)
            times, _, cpu, html = _answer_loop(client, html, requests)
            results[mode] = (times, queries, cpu, os.getloadavg()[0])
            if mode == "broker":
                results["plans"] = _queue_plans()
            if mode == "broker":
                sent = warmup + COUNTED + requests
                delivered = _drain(user, sent)
                results["delivered"] = (delivered, sent)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    vendor = connection.vendor
    where = f"{vendor}, django test client in-process"
    size = f"{cards} cards, {logs} review logs, {logs} progress events"

    def p95(values):
        return statistics.quantiles(values, n=20, method="inclusive")[18]

    def queries(values):
        # Every request of the run runs the same number; say so if one did not.
        low, high = min(values), max(values)
        return f"{high}" if low == high else f"{high} (max; min {low})"

    lines = []
    for mode, label, server in (
        ("broker", "", f"{where} + Celery on Redis"),
        ("eager", "_eager", f"{where} + Celery eager"),
    ):
        if mode not in results:
            continue
        times, counts, cpu, load = results[mode]
        name = f"flashcards_answer_next_card{label}"
        lines += [
            f"bench: {name}_p95 = {p95(times):.1f} ms ({server}, {size})",
            f"bench: {name}_p50 = {statistics.median(times):.1f} ms ({server}, {size})",
            # This process's CPU (not PostgreSQL's or Redis's): steadier on a busy machine.
            f"bench: {name}_cpu_p50 = {statistics.median(cpu):.1f} ms ({server}, {size})",
            f"bench: {name}_queries = {queries(counts)} queries ({server}, {size})",
            # Wall-clock figures on a shared machine mean little without its load.
            f"bench: {name}_load_average = {load:.1f} runnable ({server}, {size})",
        ]
    if results.get("plans") is not None:
        generic, custom = results["plans"]
        lines.append(
            f"bench: flashcards_queue_generic_plans = {generic} of {generic + custom} "
            f"executions ({where} + Celery on Redis, {size})"
        )
    if "delivered" in results:
        delivered, sent = results["delivered"]
        lines.append(
            f"bench: flashcards_answer_reports_delivered = {delivered} of {sent} reports "
            f"({where} + embedded Celery worker, {size})"
        )
    lines.append(f"bench: flashcards_bench_build = {built_in:.1f} s ({where}, {size})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--logs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--database",
        choices=["postgresql", "sqlite", "both"],
        default="both",
        help="both (the default) runs each in a child process",
    )
    args = parser.parse_args(argv)
    if args.database == "both":
        failed = False
        for database in ("postgresql", "sqlite"):
            command = [sys.executable, "-m", "tooling.bench.flashcards", "--database", database]
            command += ["--cards", str(args.cards), "--logs", str(args.logs)]
            command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
            failed |= subprocess.run(command, env=os.environ.copy()).returncode != 0
        return 1 if failed else 0
    database_url = None
    if args.database == "postgresql":
        database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    redis_url = os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS
    if not redis_reachable(redis_url):
        print(
            f"bench: BENCH_REDIS_URL={redis_url} is unreachable: measuring the eager mode only",
            file=sys.stderr,
        )
        redis_url = None
    with tempfile.TemporaryDirectory(prefix="prep-flashcards-bench-") as tmp:
        _configure(database_url, os.path.join(tmp, "bench.sqlite3"), redis_url)
        lines = run(
            cards=args.cards,
            logs=args.logs,
            requests=args.requests,
            warmup=args.warmup,
            broker=redis_url is not None,
        )
        for line in lines:
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
