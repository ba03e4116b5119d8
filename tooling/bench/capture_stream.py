"""Live stream benchmark: ``python -m tooling.bench.capture_stream``.

The deployed set-up on this machine: gunicorn (2 sync workers) serves pages and the API,
uvicorn (1 worker, ASGI) serves the event streams, Redis pub/sub fans events out between
them, PostgreSQL stores them. It prints:

- ``capture_push_p95_ms``: 100 listeners on one session; for each of 60 writes (segment
  batches and pins posted through the API, one every 50 ms) the time from sending the write
  to each listener receiving its event — an upper bound on commit → received, since the
  commit happens inside that request; p95 over every (write, listener) pair;
- ``capture_stream_listeners``: the most streams held open at once (in steps of 250, up to
  ``--max-listeners``) while the p95 of a page read (the API's context, 200 sequential
  requests on gunicorn, with segments being pushed to the streams meanwhile) stays ≤ 100 ms.

It creates its own database (``prep_bench_stream``) on BENCH_DATABASE_URL's server and drops
it afterwards; Redis is BENCH_REDIS_URL (default redis://127.0.0.1:6379/0; the channels are
prefixed with the bench database's name). The per-token rate limit is raised for the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import threading
import time
import urllib.request
from collections import Counter

from tooling.bench import served

BENCH_DB = "prep_bench_stream"
STEP = 250
PAGE_P95_LIMIT_MS = 100.0


def _line(name: str, value, unit: str, size: str) -> None:
    print(
        f"bench: {name} = {value} {unit} (postgresql, gunicorn 2 workers + uvicorn 1 worker "
        f"for streams, redis pub/sub, {size})",
        flush=True,
    )


class Listener:
    """One SSE connection read with asyncio: records when each event id arrived."""

    def __init__(self, port: int, path: str, token: str):
        self.port, self.path, self.token = port, path, token
        self.received: dict[int, float] = {}
        self.open = asyncio.Event()
        self.writer = None
        self.failure = ""  # why the stream never opened: its status line or the error

    async def run(self) -> None:
        try:
            await self._run()
        except (OSError, asyncio.IncompleteReadError) as exc:
            self.failure = self.failure or f"{type(exc).__name__}: {exc}"

    async def _run(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=2**20)
        self.writer = writer
        writer.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = (await reader.readline()).decode("latin-1").strip()
        if " 200 " not in f"{status} ":
            self.failure = status or "connection closed before a status line"
            return
        try:
            while True:
                line = await reader.readline()
                if not line:
                    if not self.open.is_set():
                        self.failure = "stream closed before it opened"
                    return
                if line.startswith(b"retry:"):
                    self.open.set()
                elif line.startswith(b"id: "):
                    self.received[int(line[4:])] = time.perf_counter()
        except (ConnectionError, asyncio.CancelledError):
            return

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _post(base: str, token: str, path: str, body: dict) -> None:
    req = urllib.request.Request(
        base + "/api/v1/capture" + path, data=json.dumps(body).encode(), method="POST"
    )
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/json")
    urllib.request.urlopen(req, timeout=30).read()


def _get_ms(base: str, token: str, path: str) -> float:
    req = urllib.request.Request(base + "/api/v1/capture" + path)
    req.add_header("Authorization", f"Bearer {token}")
    started = time.perf_counter()
    urllib.request.urlopen(req, timeout=30).read()
    return (time.perf_counter() - started) * 1000


def _segment(seq: int) -> dict:
    return {
        "seq": seq,
        "speaker": "Candidate",
        "text": f"line {seq}: the latency budget is fifty milliseconds at p99",
        "start_ms": seq * 1000,
        "end_ms": seq * 1000 + 900,
        "final": True,
    }


async def _push_p95(base: str, stream_port: int, token: str, sid: int, writes: int) -> float:
    listeners = [Listener(stream_port, f"/api/v1/capture/sessions/{sid}/events", token)]
    listeners += [
        Listener(stream_port, f"/api/v1/capture/sessions/{sid}/events", token) for _ in range(99)
    ]
    tasks = [asyncio.create_task(x.run()) for x in listeners]
    await asyncio.wait_for(asyncio.gather(*(x.open.wait() for x in listeners)), 60)
    await asyncio.sleep(0.5)
    sent: dict[int, float] = {}
    for i in range(writes):
        sent[i + 1] = time.perf_counter()
        if i % 2:
            body = {"kind": "note", "text": f"pin {i}", "at_ms": i}
            await asyncio.to_thread(_post, base, token, f"/sessions/{sid}/pins", body)
        else:
            body = {"segments": [_segment(i)]}
            await asyncio.to_thread(_post, base, token, f"/sessions/{sid}/segments", body)
        await asyncio.sleep(0.05)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(len(x.received) < writes for x in listeners):
        await asyncio.sleep(0.05)
    delays = sorted(
        (x.received[e] - t) * 1000 for x in listeners for e, t in sent.items() if e in x.received
    )
    missing = writes * len(listeners) - len(delays)
    for x in listeners:
        x.close()
    for t in tasks:
        t.cancel()
    if missing:
        print(f"bench: note: {missing} events were not received", flush=True)
    return delays[int(0.95 * (len(delays) - 1))]


async def _held_open(base, stream_port, token, sids, max_listeners) -> tuple[int, float]:
    listeners: list[Listener] = []
    tasks = []
    best, best_p95 = 0, 0.0
    stop = threading.Event()

    def pusher():
        seq = 1000
        while not stop.is_set():
            for sid in sids[:5]:
                try:
                    _post(base, token, f"/sessions/{sid}/segments", {"segments": [_segment(seq)]})
                except OSError:
                    pass
            seq += 1
            time.sleep(0.2)

    push = threading.Thread(target=pusher, daemon=True)
    push.start()
    try:
        while len(listeners) < max_listeners:
            batch = [
                Listener(
                    stream_port,
                    f"/api/v1/capture/sessions/{sids[i % len(sids)]}/events",
                    token,
                )
                for i in range(len(listeners), len(listeners) + STEP)
            ]
            for x in batch:
                tasks.append(asyncio.create_task(x.run()))
                await asyncio.sleep(0.002)
            listeners += batch
            try:
                await asyncio.wait_for(asyncio.gather(*(x.open.wait() for x in batch)), 120)
            except TimeoutError:
                failed = Counter(
                    x.failure or "no answer in 120 s" for x in batch if not x.open.is_set()
                )
                print(
                    f"bench: note: stopped at {len(listeners)} streams: "
                    f"{sum(failed.values())} of the last {STEP} did not open ({dict(failed)})",
                    flush=True,
                )
                break
            latencies = []
            for _ in range(200):
                ms = await asyncio.to_thread(_get_ms, base, token, f"/sessions/{sids[0]}/context")
                latencies.append(ms)
            latencies.sort()
            p95 = latencies[int(0.95 * (len(latencies) - 1))]
            print(f"bench: note: {len(listeners)} streams open, page p95 {p95:.1f} ms", flush=True)
            if p95 > PAGE_P95_LIMIT_MS:
                break
            best, best_p95 = len(listeners), p95
    finally:
        stop.set()
        for x in listeners:
            x.close()
        for t in tasks:
            t.cancel()
    return best, best_p95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.bench.capture_stream")
    parser.add_argument("--writes", type=int, default=60)
    parser.add_argument("--max-listeners", type=int, default=1000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        with served.site(BENCH_DB, redis_url=redis_url, keep_db=args.keep_db) as site:
            from django.contrib.auth import get_user_model
            from django.db import connection

            from prep.accounts.tokens import api_token_create
            from prep.capture.services import capture_session_create

            user = get_user_model().objects.create_user(username="bench", email="bench@example.com")
            token = api_token_create(user=user, name="bench")[1]
            sids = [
                capture_session_create(user=user, title=f"s{i}", kind="ml_system_design")[0].pk
                for i in range(51)
            ]
            connection.close()

            web_port, stream_port = served.free_port(), served.free_port()
            gunicorn = site.serve(
                ["gunicorn", "prep.wsgi", "--workers", "2"]
                + ["--bind", f"127.0.0.1:{web_port}", "--log-level", "warning"]
            )
            uvicorn = site.serve(
                ["uvicorn", "prep.asgi:application", "--workers", "1"]
                + ["--host", "127.0.0.1", "--port", str(stream_port), "--log-level", "warning"]
                + ["--backlog", "4096"],
                CONN_MAX_AGE="0",
                DB_POOL_MAX_SIZE="20",  # as docker/compose.yaml's stream service
            )
            base = f"http://127.0.0.1:{web_port}"
            served.wait_for(base + "/healthz", gunicorn, "gunicorn")
            served.wait_for(f"http://127.0.0.1:{stream_port}/healthz", uvicorn, "uvicorn")

            p95 = asyncio.run(_push_p95(base, stream_port, token, sids[-1], args.writes))
            _line(
                "capture_push_p95_ms",
                f"{p95:.0f}",
                "ms",
                f"100 listeners on one session, {args.writes} writes",
            )
            held, page_p95 = asyncio.run(
                _held_open(base, stream_port, token, sids[:-1], args.max_listeners)
            )
            _line(
                "capture_stream_listeners",
                held,
                "streams",
                f"page p95 {page_p95:.0f} ms ≤ {PAGE_P95_LIMIT_MS:.0f} ms, tried up to "
                f"{args.max_listeners} in steps of {STEP}",
            )
            print(served.RATE_LIMIT_NOTE, flush=True)
            return 0
    except served.Unavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
