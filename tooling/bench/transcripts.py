"""Benchmark: the transcript page and full-text search.

    python -m tooling.bench.transcripts                 # PostgreSQL part, then the SQLite part
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m tooling.bench.transcripts
    python -m tooling.bench.transcripts --part sqlite   # one part only

PostgreSQL: a throwaway database (``prep_bench_transcripts``, created and dropped on the
server of ``BENCH_DATABASE_URL``), migrated; ``--users`` (500) users with ``--segments``
(1,000,000) segments between them, inserted with COPY (the migration's trigger fills the
stored tsvector), the GIN index built after the load. The bench user also owns one
5,000-segment transcript. Measures, in-process (middleware, session, view, template):

- ``transcripts_page_median``: the full request of that transcript's page;
- ``transcripts_search_p95``: one user's own two-word ranked query through
  ``selectors.search_segments`` (the search page's code path), over random users and pairs.

SQLite: the same with ``--sqlite-segments`` (100,000) segments in a temporary file.

Prints one figure a line: ``bench: <name> = <value> <unit> (<database>, <server>, <size>)``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from tooling.bench.env import django_for_bench_on

BENCH_DB = "prep_bench_transcripts"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PAGE_SEGMENTS = 5000
PER_TRANSCRIPT = 500

ML_WORDS = (
    "latency budget model feature store drift monitoring ranking retrieval embedding label "
    "labels leakage precision recall metric online offline baseline gradient boosted trees "
    "two tower candidate generation cache serving inference batch real time skew data "
    "sampling imbalance fraud click dwell freshness experiment rollout canary shadow "
    "retraining alert dashboard threshold calibration users scale objective constraint "
    "requirement loss transformer network feature crosses users items queries search feed "
    "news ads budget throughput milliseconds percentile p99 memory gpu cpu cost revenue"
).split()


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """ML words plus 5,000 filler words, Zipf-weighted: a few terms are very common."""
    filler = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(5000)
    ]
    rng.shuffle(filler)
    # The ML words among the most frequent, so two-word queries match (and must be ranked).
    words = list(dict.fromkeys([*filler[:20], *ML_WORDS, *filler[20:]]))
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(words))]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return words, cum


def _texts(rng: random.Random, words, cum, n: int):
    for _ in range(n):
        yield " ".join(rng.choices(words, cum_weights=cum, k=rng.randint(6, 24)))


def _users(n: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from prep.accounts.models import Profile

    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"u{i}", email=f"u{i}@example.com", password="!") for i in range(n)],
        batch_size=1000,
    )
    users = list(User.objects.order_by("pk"))
    Profile.objects.bulk_create(
        [
            Profile(user=u, role="mle", weekdays=[0, 1, 2, 3, 4], onboarded_at=timezone.now())
            for u in users
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return users


def _transcripts(users, per_user: int):
    from django.utils import timezone

    from prep.transcripts.models import Transcript

    now = timezone.now()
    rows = [
        Transcript(
            user=u,
            title=f"mock {i}",
            kind="ml_system_design",
            status=Transcript.Status.READY,
            speakers={"Interviewer": "other", "Candidate": "me"},
            roles={"me": "candidate", "other": "interviewer"},
            segment_count=PER_TRANSCRIPT,
            final_count=PER_TRANSCRIPT,
            max_seq=PER_TRANSCRIPT - 1,
            contiguous_seq=PER_TRANSCRIPT - 1,
            ended_at=now,
            ready_at=now,
        )
        for u in users
        for i in range(per_user)
    ]
    Transcript.objects.bulk_create(rows, batch_size=2000)
    return list(Transcript.objects.order_by("pk").values_list("pk", "user_id"))


def _segment_rows(transcripts, texts):
    for transcript_id, user_id in transcripts:
        t = 0
        for seq in range(PER_TRANSCRIPT):
            text = next(texts)
            speaker = "Interviewer" if seq % 4 == 0 else "Candidate"
            yield (transcript_id, user_id, seq, speaker, text, t, t + 3000, True)
            t += 3400


def _load_postgres(rows) -> None:
    from django.db import connection

    from prep.transcripts.models import SEARCH_INDEX, SEARCH_INDEX_SQL

    cols = "transcript_id, user_id, seq, speaker, text, start_ms, end_ms, final"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        with cursor.cursor.copy(f"COPY transcripts_segment ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(SEARCH_INDEX_SQL)
        cursor.execute("ANALYZE transcripts_segment")
        cursor.execute("ANALYZE transcripts_transcript")


def _load_sqlite(rows) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO transcripts_segment (transcript_id, user_id, seq, speaker, text, "
            "start_ms, end_ms, final) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            list(rows),
        )
        cursor.execute("ANALYZE")


def _page_transcript(user, rng, words, cum):
    from prep.transcripts import services
    from prep.transcripts.services import SegmentIn

    t = services.transcript_create(
        user=user,
        title="5,000-segment mock",
        kind="ml_system_design",
        question="Design search ranking for an online shop.",
        speakers={"Interviewer": "other", "Candidate": "me"},
        roles={"me": "candidate", "other": "interviewer"},
    )
    for phase, ms in [("framing", 0), ("metrics", 3_000_000), ("data", 6_000_000)]:
        services.phase_mark(transcript=t, phase=phase, at_ms=ms)
    texts = _texts(rng, words, cum, PAGE_SEGMENTS)
    segments = [
        SegmentIn(
            i,
            "Interviewer" if i % 4 == 0 else "Candidate",
            next(texts),
            i * 3400,
            i * 3400 + 3000,
            True,
        )
        for i in range(PAGE_SEGMENTS)
    ]
    for i in range(0, PAGE_SEGMENTS, 500):
        services.segment_batch_ingest(transcript=t, segments=segments[i : i + 500])
    services.transcript_end(transcript=t)
    services.transcript_analyse(transcript_id=t.pk)
    for seq in range(0, 200, 9):
        services.highlight_set(transcript=t, user=user, seq=seq, note="a note")
    return t


def run(*, users: int, segments: int, requests: int, queries: int) -> list[str]:
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client

    from prep.transcripts import selectors

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    vendor = connection.vendor
    devnull = open(os.devnull, "w")
    call_command("migrate", verbosity=0, stdout=devnull)
    call_command("load_content", verbosity=0, stdout=devnull)
    rng = random.Random(7)
    words, cum = _vocabulary(rng)
    people = _users(users)
    per_user = max(segments // (users * PER_TRANSCRIPT), 1)
    transcripts = _transcripts(people, per_user)
    total = len(transcripts) * PER_TRANSCRIPT
    texts = _texts(rng, words, cum, total)
    t0 = time.perf_counter()
    rows = _segment_rows(transcripts, texts)
    (_load_postgres if vendor == "postgresql" else _load_sqlite)(rows)
    load_s = time.perf_counter() - t0
    user = people[0]
    page = _page_transcript(user, rng, words, cum)
    size = f"{total + PAGE_SEGMENTS:,} segments, {users} users"
    server = "in-process"
    lines = [f"bench: transcripts_load = {total / load_s:,.0f} rows/s ({vendor}, {server}, {size})"]

    client = Client()
    client.force_login(user)
    url = f"/transcripts/{page.pk}/"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200
    lines.append(
        f"bench: transcripts_page_median = {statistics.median(times) * 1000:.1f} ms "
        f"({vendor}, {server}, {PAGE_SEGMENTS:,}-segment transcript in {size})"
    )

    common = [w for w in ML_WORDS if w in set(words)]
    latencies = []
    found = 0
    for _ in range(queries):
        who = rng.choice(people)
        q = f"{rng.choice(common)} {rng.choice(common)}"
        t0 = time.perf_counter()
        hits = selectors.search_segments(user=who, q=q)
        latencies.append(time.perf_counter() - t0)
        found += bool(hits)
    latencies.sort()
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)] * 1000
    lines.append(
        f"bench: transcripts_search_p95 = {p95:.1f} ms ({vendor}, {server}, {size}; "
        f"own two-word ranked query, {queries} queries, {found} with hits)"
    )
    lines.append(
        f"bench: transcripts_search_median = {statistics.median(latencies) * 1000:.1f} ms "
        f"({vendor}, {server}, {size})"
    )
    return lines


def _part_postgres(args) -> int:
    import psycopg

    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    try:
        admin = psycopg.connect(
            admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
        )
    except Exception as exc:  # noqa: BLE001 - any failure to connect ends this part
        print(f"bench: PostgreSQL unreachable at {admin_url}: {exc}", file=sys.stderr)
        return 2
    admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        head, _, _ = admin_url.rpartition("/")
        django_for_bench_on(f"{head}/{BENCH_DB}", None)
        for line in run(
            users=args.users, segments=args.segments, requests=args.requests, queries=args.queries
        ):
            print(line, flush=True)
        from django.db import connections

        connections.close_all()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    return 0


def _part_sqlite(args) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        django_for_bench_on(None, os.path.join(tmp, "bench.sqlite3"))
        users = max(args.sqlite_segments // 2000, 1)
        for line in run(
            users=users,
            segments=args.sqlite_segments,
            requests=args.requests,
            queries=args.queries,
        ):
            print(line, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--sqlite-segments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    if args.part == "postgresql":
        return _part_postgres(args)
    if args.part == "sqlite":
        return _part_sqlite(args)
    # Each part configures Django for its own database: run them in their own processes.
    rest = [
        f"--users={args.users}",
        f"--segments={args.segments}",
        f"--sqlite-segments={args.sqlite_segments}",
        f"--requests={args.requests}",
        f"--queries={args.queries}",
    ]
    codes = [
        subprocess.call([sys.executable, "-m", "tooling.bench.transcripts", "--part", part, *rest])
        for part in ("postgresql", "sqlite")
    ]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
