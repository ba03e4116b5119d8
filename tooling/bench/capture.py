"""Capture ingest benchmark: ``python -m tooling.bench.capture``.

Through the real HTTP API, gunicorn with 2 sync workers on PostgreSQL, batches of 100:

- ``capture_ingest_clean``: segments/s delivered once, in order, by two overlays at once
  (one per worker), each replaying its own transcript;
- ``capture_ingest_chaos``: unique segments/s when every batch is also resent, out of order;
- ``capture_context_p95``: the p95 of GET …/context while ingest runs at half the clean rate.

It also prints the 5xx answers and the deadlocks PostgreSQL counted (both must be 0).

It creates its own database (``prep_bench_capture``) on the server of BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/postgres), and drops it afterwards. The per-token
rate limit is raised for the run (tooling/bench/capture_settings.py). Exits non-zero when
PostgreSQL is unreachable.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time

from tooling.bench import served

BENCH_DB = "prep_bench_capture"
WORKERS = 2
BATCH = 100
WORDS = (
    "we could rank candidates with a two tower model then rerank with features like dwell "
    "time freshness and author affinity the latency budget is fifty milliseconds at p99"
).split()


def _print(name: str, value: float, unit: str, size: str) -> None:
    print(
        f"bench: {name} = {value:.0f} {unit} (postgresql, gunicorn {WORKERS} workers, {size})",
        flush=True,
    )


def _cues(n: int, seed: int):
    from prep.capture.client import Cue

    rng = random.Random(seed)
    cues, t = [], 0
    for i in range(n):
        text = f"{i} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 16)))
        length = rng.randint(800, 4000)
        cues.append(Cue(i, "Interviewer" if i % 3 == 0 else "Candidate", text, t, t + length))
        t += length + 200
    return cues


def _chaos_resend_plan(cues, rng: random.Random):
    """Every clean batch, and a second copy of each, locally reordered (copies overtake)."""
    from prep.capture.client import clean_plan

    batches = clean_plan(cues, BATCH)
    plan = [list(b) for b in batches] + [list(b) for b in batches]
    order = list(range(len(batches)))
    interleaved = []
    for i in order:
        interleaved.append(plan[i])
        interleaved.append(plan[len(batches) + i])
    for i in range(len(interleaved) - 1, 0, -1):
        j = max(0, i - rng.randint(0, 4))
        interleaved[i], interleaved[j] = interleaved[j], interleaved[i]
    for batch in interleaved:
        rng.shuffle(batch)
    return interleaved


def _run_parallel(targets):
    threads = [threading.Thread(target=t) for t in targets]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.bench.capture")
    parser.add_argument("--segments", type=int, default=2000, help="per overlay")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)

    try:
        with served.site(BENCH_DB, keep_db=args.keep_db) as site:
            from django.contrib.auth import get_user_model
            from django.db import connection

            from prep.accounts.tokens import api_token_create

            users = [
                get_user_model().objects.create_user(
                    username=f"bench{i}", email=f"b{i}@example.com"
                )
                for i in range(WORKERS)
            ]
            tokens = [api_token_create(user=u, name="bench")[1] for u in users]
            connection.close()

            port = served.free_port()
            gunicorn = site.serve(
                ["gunicorn", "prep.wsgi", "--workers", str(WORKERS)]
                + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
            )
            base = f"http://127.0.0.1:{port}"
            served.wait_for(base + "/healthz", gunicorn, "gunicorn")
            return _measure(base, tokens, args.segments, site.db)
    except served.Unavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2


def _measure(base: str, tokens: list[str], n: int, db: served.BenchDatabase) -> int:
    from prep.capture.client import Client, clean_plan

    deadlocks_before = db.deadlocks()
    clients = [Client(base, t, retries=0) for t in tokens]
    size = f"{WORKERS}×{n} segments, batches of {BATCH}"
    five_xx = 0

    # Warm-up: a few batches so both workers have connections and loaded code.
    for c in clients:
        sid = c.create_session({"title": "warm-up", "kind": "coding"})["id"]
        for batch in clean_plan(_cues(300, 99), BATCH):
            c.send(sid, batch)

    # 1. Clean delivery, one overlay per worker.
    sessions = [
        c.create_session({"title": "clean", "kind": "ml_system_design"})["id"] for c in clients
    ]
    plans = [clean_plan(_cues(n, seed=i), BATCH) for i in range(WORKERS)]
    news = [0] * WORKERS

    def clean(i):
        def run():
            for batch in plans[i]:
                news[i] += clients[i].send(sessions[i], batch)["new"]

        return run

    elapsed = _run_parallel([clean(i) for i in range(WORKERS)])
    clean_rate = sum(news) / elapsed
    assert sum(news) == WORKERS * n, news
    _print("capture_ingest_clean", clean_rate, "segments/s", size)

    # 2. Every batch resent, out of order.
    sessions = [
        c.create_session({"title": "chaos", "kind": "ml_system_design"})["id"] for c in clients
    ]
    plans = [_chaos_resend_plan(_cues(n, seed=10 + i), random.Random(i)) for i in range(WORKERS)]
    news = [0] * WORKERS
    elapsed = _run_parallel([clean(i) for i in range(WORKERS)])
    assert sum(news) == WORKERS * n, news
    _print(
        "capture_ingest_chaos", sum(news) / elapsed, "unique segments/s", size + ", each sent twice"
    )

    # 3. Context read-back while one overlay ingests at half the clean rate.
    ingest, poller = clients
    sid = ingest.create_session({"title": "paced", "kind": "ml_system_design"})["id"]
    for kind, text in [
        ("question", "Design a feed"),
        ("assumption", "10M DAU"),
        ("constraint", "p99 < 50ms"),
    ]:
        ingest.request("POST", f"/sessions/{sid}/pins", {"kind": kind, "text": text, "at_ms": 1})
    ingest.request("POST", f"/sessions/{sid}/phases", {"phase": "framing", "at_ms": 0})
    paced_plan = clean_plan(_cues(n, seed=42), BATCH)
    interval = BATCH / (clean_rate / 2)
    stop = threading.Event()
    latencies: list[float] = []

    def paced():
        next_at = time.perf_counter()
        for batch in paced_plan:
            ingest.send(sid, batch)
            next_at += interval
            time.sleep(max(0.0, next_at - time.perf_counter()))
        stop.set()

    reader = Client(base, ingest.token, retries=0)  # the owner's overlay polls its context

    def read_context():
        while not stop.is_set():
            started = time.perf_counter()
            reader.context(sid)
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.01)

    _run_parallel([paced, read_context])
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"bench: capture_context_p95 = {p95:.1f} ms (postgresql, gunicorn {WORKERS} workers, "
        f"{len(latencies)} reads while ingesting {n} segments at half the clean rate)",
        flush=True,
    )
    print(
        f"bench: capture_context_median = {statistics.median(latencies):.1f} ms "
        f"(postgresql, gunicorn {WORKERS} workers, {len(latencies)} reads)",
        flush=True,
    )

    for c in [*clients, reader]:
        five_xx += c.stats.errors_5xx
    deadlocks = db.deadlocks() - deadlocks_before
    _print("capture_ingest_5xx", five_xx, "responses", "all runs")
    _print("capture_ingest_deadlocks", deadlocks, "deadlocks", "all runs")
    print(served.RATE_LIMIT_NOTE, flush=True)
    return 0 if five_xx == 0 and deadlocks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
