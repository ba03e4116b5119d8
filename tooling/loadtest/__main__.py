"""Load test (``make bench``): logged-in users against gunicorn on PostgreSQL.

    python -m tooling.loadtest                       # 50, 75, 100, 150 users, 30 s each
    python -m tooling.loadtest --steps 50 --seconds 20

A throwaway database (``prep_bench_load``) on the server of ``BENCH_DATABASE_URL`` (default
the local PostgreSQL) is created, migrated, loaded (``load_content``) and seeded
(``seed_demo --users 500 --days 60 --transcripts 1000``: the scale of the demo data the
site is held to), then dropped at the end. The site runs as deployed:
gunicorn with 2 sync workers on 127.0.0.1 only, Redis (``BENCH_REDIS_URL``, default
database 7 of the local server, flushed before and after) as cache and Celery broker, and one
Celery worker beside it taking the reports the requests queue (DEBUG off, PREP_PLAIN_HTTP=1,
a throwaway SECRET_KEY unless one is set, rate limits raised: tooling/loadtest/settings.py).
Without a reachable Redis it falls back to eager Celery and says so. locust
(headless, tooling/loadtest/locustfile.py) runs each step for ``--seconds`` after its users have
spawned; each user is a seeded user signed in beforehand (a session made in setup, so the
password hash is not what is measured) with one second of think time.

Prints (one figure a line, tooling/bench/__main__.py's format) requests/s, p50, p95, p99 and errors per step, the 50-user figures under
``load_50_users_*``, and ``load_max_users_p95_100ms``: the largest step with p95 ≤ 100 ms and
no errors. locust runs on the same two cores as gunicorn and PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tooling.bench.env import redis_reachable

BENCH_DB = "prep_bench_load"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
P95_TARGET_MS = 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _people(path: Path) -> int:
    """Sessions, CSRF secrets and API tokens for the seeded users (written to ``path``)."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.middleware.csrf import _get_new_csrf_string

    from prep.accounts.tokens import api_token_create
    from prep.capture.models import CaptureSession
    from prep.drills.models import Problem

    store = import_module(settings.SESSION_ENGINE).SessionStore
    problems = list(Problem.objects.filter(owner=None).values_list("pk", flat=True)[:100])
    sessions: dict[int, list[tuple[int, int]]] = {}
    for sid, tid, uid in CaptureSession.objects.values_list("pk", "transcript_id", "user_id"):
        sessions.setdefault(uid, []).append((sid, tid))
    people = []
    for user in get_user_model().objects.filter(pk__in=list(sessions)).order_by("pk"):
        csrf = _get_new_csrf_string()
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if settings.CSRF_USE_SESSIONS:
            session["_csrftoken"] = csrf
        session.create()
        _, token = api_token_create(user=user, name="load test")
        people.append(
            {
                "email": user.email,
                "session": session.session_key,
                "csrf": csrf,
                "token": token,
                "sessions": [s for s, _ in sessions[user.pk]],
                "transcripts": [t for _, t in sessions[user.pk]],
                "problems": problems,
            }
        )
    path.write_text(json.dumps(people))
    from django.db import connections

    connections.close_all()
    return len(people)


def _flush(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def _step(env, host: str, users: int, seconds: int, out: Path) -> dict:
    prefix = out / f"u{users}"
    spawn = max(users // 5, 1)  # all users within ~5 s; stats reset once they are all up
    subprocess.run(
        [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
         "--headless", "-u", str(users), "-r", str(spawn), "-t", f"{seconds + 6}s",
         "--host", host, "--csv", str(prefix), "--reset-stats", "--only-summary",
         "--loglevel", "ERROR", "--exit-code-on-error", "0", "--stop-timeout", "3"],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=open(f"{prefix}.log", "w"),
        timeout=seconds + 60,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv") as fh:
        rows = {row["Name"]: row for row in csv.DictReader(fh)}
    agg = rows.get("Aggregated")
    if agg is None or agg["50%"] == "N/A":
        log = Path(f"{prefix}.log").read_text()[-3000:]
        raise RuntimeError(f"locust made no requests at {users} users:\n{log}")
    return {
        "users": users,
        "requests": int(agg["Request Count"]),
        "errors": int(agg["Failure Count"]),
        "rps": float(agg["Requests/s"]),
        "p50": float(agg["50%"]),
        "p95": float(agg["95%"]),
        "p99": float(agg["99%"]),
        "by_name": {
            name: (float(r["95%"]), int(r["Request Count"]), int(r["Failure Count"]))
            for name, r in rows.items()
            if name != "Aggregated"
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="50,75,100,150", help="user counts, in order")
    parser.add_argument("--seconds", type=int, default=30, help="measured seconds per step")
    parser.add_argument("--seed-users", type=int, default=500)
    parser.add_argument("--seed-days", type=int, default=60)
    parser.add_argument("--transcripts", type=int, default=1000)
    args = parser.parse_args(argv)
    steps = [int(s) for s in args.steps.split(",") if s.strip()]

    import psycopg

    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    try:
        admin = psycopg.connect(
            admin_url.replace("postgres://", "postgresql://", 1), autocommit=True, connect_timeout=5
        )
    except Exception as exc:  # noqa: BLE001 - any failure to connect fails the bench
        print(f"bench: PostgreSQL unreachable at {admin_url}: {exc}", file=sys.stderr)
        return 1
    head, _, _ = admin_url.rpartition("/")
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    if not redis_reachable(redis_url):
        print(f"bench: note: no Redis at {redis_url}: Celery eager, local cache", flush=True)
        redis_url = ""
    env = {
        **os.environ,
        "DATABASE_URL": f"{head}/{BENCH_DB}",
        "DJANGO_SETTINGS_MODULE": "tooling.loadtest.settings",
        "DEBUG": "0",
        "PREP_PLAIN_HTTP": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": f"prep-load-{os.getpid()}",  # no other worker takes these reports
        "CONN_MAX_AGE": "60",
    }
    os.environ.update(env)
    size = f"{args.seed_users} users x {args.seed_days} days"
    server = "gunicorn 2 workers" + (" + 1 Celery worker, Redis" if redis_url else ", eager")
    gunicorn = worker = None
    if redis_url:
        _flush(redis_url)
    admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            _manage(env, "migrate", "--noinput")
            _manage(env, "load_content")
            t0 = time.perf_counter()
            _manage(env, "seed_demo", "--users", str(args.seed_users), "--days",
                    str(args.seed_days), "--transcripts", str(args.transcripts))  # fmt: skip
            print(
                f"bench: load_seed = {time.perf_counter() - t0:.1f} s (postgresql, seed_demo, "
                f"{size}, {args.transcripts} transcripts)",
                flush=True,
            )
            people = out / "people.json"
            n = _people(people)
            # The seed wrote hundreds of MB of WAL: checkpoint now, not while measuring.
            try:
                admin.execute("CHECKPOINT")
            except psycopg.errors.InsufficientPrivilege:
                print("bench: note: no CHECKPOINT (not a superuser)", flush=True)
            env["PREP_LOADTEST_USERS"] = str(people)
            port = _free_port()
            host = f"http://127.0.0.1:{port}"
            gunicorn = subprocess.Popen(
                [str(BIN / "gunicorn"), "prep.wsgi:application", "--workers", "2",
                 "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                cwd=ROOT, env=env,
            )  # fmt: skip
            if redis_url:
                worker = subprocess.Popen(
                    [str(BIN / "celery"), "-A", "prep", "worker", "--concurrency", "1",
                     "--queues", env["CELERY_QUEUE"], "--loglevel", "WARNING"],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                    stderr=open(out / "worker.log", "w"),
                )  # fmt: skip
            _wait(f"{host}/healthz")
            print(
                "bench: note: load test rate limits raised (capture API 10^9/min, allauth "
                f"limits off); DEBUG off; {n} signed-in seeded users; locust, PostgreSQL, "
                f"Redis and the worker share the 2 cores; {args.seconds} s per step",
                flush=True,
            )
            best = None
            for users in steps:
                r = _step(env, host, users, args.seconds, out)
                label = f"postgresql, {server}, {size}; {users} users, 1 s think time"
                for name, value, unit in (
                    ("rps", f"{r['rps']:.1f}", "requests/s"),
                    ("p50", f"{r['p50']:.0f}", "ms"),
                    ("p95", f"{r['p95']:.0f}", "ms"),
                    ("p99", f"{r['p99']:.0f}", "ms"),
                    ("errors", str(r["errors"]), f"of {r['requests']} requests"),
                ):
                    print(
                        f"bench: load_{users}_users_{name} = {value} {unit} ({label})", flush=True
                    )
                slow = sorted(r["by_name"].items(), key=lambda kv: -kv[1][0])
                print(
                    "bench: note: p95 by request at "
                    + f"{users} users: "
                    + ", ".join(f"{name} {p95:.0f} ms" for name, (p95, _, _) in slow),
                    flush=True,
                )
                ok = r["p95"] <= P95_TARGET_MS and r["errors"] == 0
                if ok:
                    best = users
                else:
                    break  # a larger count will not do better
            print(
                f"bench: load_max_users_p95_{P95_TARGET_MS}ms = {best or 0} users "
                f"(postgresql, {server}, {size}; steps {args.steps}, zero errors)",
                flush=True,
            )
    finally:
        for process in (gunicorn, worker):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if redis_url:
            _flush(redis_url)
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        admin.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
