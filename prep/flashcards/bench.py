"""Benchmark: the server time and query count of answer-and-next-card.

    python -m prep.flashcards.bench                 # SQLite file in a temporary directory
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m prep.flashcards.bench

One user with 10,000 cards and 100,000 review logs (and, as a real history would have,
100,000 progress events reported through the curriculum seam). Each measured request is
the htmx POST of a rating followed by the rendering of the next card, through Django's
full request stack (middleware, session, auth, view, template) in-process. The database
is a fresh test database (``test_flashcards_bench``), created and destroyed by the run.

Prints one figure a line: ``bench: <name> = <value> <unit> (<database>, <server>, <size>)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import tempfile
import time


def _configure(database_url: str | None, sqlite_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["PREP_PLAIN_HTTP"] = "1"
    os.environ["DEBUG"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = sqlite_path
    import django

    django.setup()
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        "test_flashcards_bench" if database_url else sqlite_path
    )
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build(user, *, cards: int, logs: int, seed: int = 11) -> None:
    """A realistic collection for one user, in bulk: states in every stage, with several
    thousand review cards overdue (so every answer has a next card), logs over a year, and
    one progress event per log."""
    from django.utils import timezone

    from curriculum.models import ProgressEvent
    from prep.flashcards.models import Card, CardState, Deck, ReviewLog
    from prep.flashcards.rendering import render_markdown

    S = CardState.State
    rng = random.Random(seed)
    now = timezone.now()
    deck = Deck.objects.create(owner=user, slug="bench", title="Bench deck")
    front = render_markdown("When would you use **A** over *B*, given little data?")
    back = render_markdown("Use A because of the constraints.\n\n- data size\n- latency")
    card_rows = Card.objects.bulk_create(
        [
            Card(
                deck=deck,
                owner=user,
                front=f"Question {i}",
                back=f"Answer {i}",
                front_html=front,
                back_html=back,
                tags=" bench ",
                position=i,
            )
            for i in range(cards)
        ],
        batch_size=2000,
    )
    states = []
    for i, card in enumerate(card_rows):
        kind = i % 10
        if kind < 2:
            states.append(CardState(user=user, card=card, deck=deck, due=now, position=i))
            continue
        interval = rng.choice([1, 3, 7, 15, 30, 60, 120])
        due = now + dt.timedelta(days=rng.uniform(-20, 90))
        states.append(
            CardState(
                user=user,
                card=card,
                deck=deck,
                state=S.REVIEW,
                stability=float(interval),
                difficulty=rng.uniform(2, 8),
                due=due,
                last_review=due - dt.timedelta(days=interval),
                position=i,
            )
        )
    states = CardState.objects.bulk_create(states, batch_size=2000)
    reviewed = [s for s in states if s.state == S.REVIEW]
    log_rows, seqs = [], {}
    for j in range(logs):
        st = reviewed[j % len(reviewed)]
        seq = seqs.get(st.pk, 0)
        seqs[st.pk] = seq + 1
        at = now - dt.timedelta(days=rng.uniform(1, 365))
        prev = rng.choice([2.0, 7.0, 25.0, 60.0])
        log_rows.append(
            ReviewLog(
                user=user,
                card_state=st,
                card_id=st.card_id,
                deck=deck,
                seq=seq,
                rating=rng.choices([1, 2, 3, 4], [0.1, 0.15, 0.65, 0.1])[0],
                reviewed_at=at,
                duration_ms=rng.randint(2000, 30000),
                prev_state=S.REVIEW,
                prev_stability=prev,
                prev_difficulty=5.0,
                prev_due=at,
                prev_last_review=at - dt.timedelta(days=prev),
                prev_interval_days=prev,
                state=S.REVIEW,
                stability=prev * 2,
                difficulty=5.0,
                due=at + dt.timedelta(days=prev * 2),
            )
        )
    created = ReviewLog.objects.bulk_create(log_rows, batch_size=5000)
    # Each state's review count is the number of its logs, so the next rating's seq is new.
    for st in reviewed:
        st.reps = seqs.get(st.pk, 0)
    CardState.objects.bulk_update(reviewed, ["reps"], batch_size=1000)
    ProgressEvent.objects.bulk_create(
        [
            ProgressEvent(
                user=user,
                key=f"flashcards:review:bench-{i}",
                kind="card_reviewed",
                area="ml_fundamentals",
                tags=["deck:bench"],
                occurred_at=log.reviewed_at,
            )
            for i, log in enumerate(created)
        ],
        batch_size=5000,
    )


def run(*, cards: int, logs: int, requests: int, warmup: int) -> list[str]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from curriculum import progress
    from prep.accounts.models import Profile
    from prep.flashcards import services

    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False, serialize=False
    )
    try:
        call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("bench", "bench@example.com", "x")
        Profile.objects.update_or_create(
            user=user,
            defaults={"role": "mle", "weekdays": [0, 1, 2, 3, 4], "onboarded_at": timezone.now()},
        )
        started = time.perf_counter()
        build(user, cards=cards, logs=logs)
        built_in = time.perf_counter() - started

        # Time spent inside the progress seam, to attribute the cost.
        seam_times: list[float] = []
        real_record = progress.record

        def timed_record(*args, **kwargs):
            t = time.perf_counter()
            try:
                return real_record(*args, **kwargs)
            finally:
                seam_times.append(time.perf_counter() - t)

        services.progress.record = timed_record

        client = Client()
        client.force_login(user)
        url = "/flashcards/review/?deck=bench"
        html = client.get(url).content.decode()
        times, queries = [], []
        for i in range(warmup + requests):
            action = re.search(r'hx-post="(/flashcards/review/\d+/answer/[^"]*)"', html)
            token = re.search(r'name="token" value="([^"]+)"', html)
            if not action or not token:
                raise SystemExit("bench: no card to answer; the collection ran dry")
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.post(
                    action.group(1).replace("&amp;", "&"),
                    {"token": token.group(1), "rating": "3"},
                    HTTP_HX_REQUEST="true",
                )
                elapsed = time.perf_counter() - t
            if response.status_code != 200:
                raise SystemExit(f"bench: answer returned {response.status_code}")
            html = response.content.decode()
            if i >= warmup:
                times.append(elapsed * 1000)
                queries.append(len(ctx.captured_queries))
        services.progress.record = real_record
        seam = [s * 1000 for s in seam_times[warmup:]]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    vendor = connection.vendor
    where = f"{vendor}, django test client in-process"
    size = f"{cards} cards, {logs} review logs, {logs} progress events"

    def p95(values):
        return statistics.quantiles(values, n=20, method="inclusive")[18]

    return [
        f"bench: flashcards_answer_next_card_p95 = {p95(times):.1f} ms ({where}, {size})",
        f"bench: flashcards_answer_next_card_p50 = {statistics.median(times):.1f} ms ({where}, {size})",
        f"bench: flashcards_answer_next_card_queries = {max(queries)} queries ({where}, {size})",
        f"bench: flashcards_answer_progress_seam_p95 = {p95(seam):.1f} ms ({where}, {size})",
        f"bench: flashcards_answer_next_card_without_seam_p95 = "
        f"{p95([t - s for t, s in zip(times, seam, strict=True)]):.1f} ms ({where}, {size})",
        f"bench: flashcards_bench_build = {built_in:.1f} s ({where}, {size})",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--logs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL") or None
    with tempfile.TemporaryDirectory(prefix="prep-flashcards-bench-") as tmp:
        _configure(database_url, os.path.join(tmp, "bench.sqlite3"))
        for line in run(
            cards=args.cards, logs=args.logs, requests=args.requests, warmup=args.warmup
        ):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
