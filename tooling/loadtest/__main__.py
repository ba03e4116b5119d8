"""Load test (``make bench``): logged-in users against gunicorn on PostgreSQL.

    python -m tooling.loadtest                       # 50, 75, 100, 150 users, 30 s each
    python -m tooling.loadtest --steps 50 --seconds 20
    python -m tooling.loadtest --steps 50 --steps-only --threads 4   # compare a set-up

A throwaway database (``prep_bench_load``) on the server of ``BENCH_DATABASE_URL`` (default
the local PostgreSQL) is created, migrated, loaded (``load_content``) and seeded
(``seed_demo --users 500 --days 60 --transcripts 1000``: the scale of the demo data the
site is held to), then dropped at the end. The site runs as deployed:
gunicorn with 3 sync workers (docker/Dockerfile's; ``--workers``) on 127.0.0.1 only,
persistent PostgreSQL connections (CONN_MAX_AGE=60, statements prepared), sessions read from
Redis (``cached_db``: no session query) and the cached template loader (DEBUG off); Redis
(``BENCH_REDIS_URL``, default database 7 of the local server, flushed before and after) as
cache and Celery broker, and one Celery worker beside it taking the reports the requests queue, at a
lower CPU priority (nice 10, as compose's ``cpu_shares`` weighs it) (DEBUG off, PREP_PLAIN_HTTP=1,
a throwaway SECRET_KEY unless one is set, rate limits raised: tooling/loadtest/settings.py).
Without a reachable Redis it falls back to eager Celery and says so. locust
(headless, tooling/loadtest/locustfile.py) runs each step for ``--seconds`` after its users have
spawned; each user is a seeded user signed in beforehand (a session made in setup, so the
password hash is not what is measured) with one second of think time.

First the **floor**: the same signed-in users on a page with one indexed query and a minimal
template (tooling/loadtest/views.py, mounted only by tooling/loadtest/urls.py), closed loop (no
think time) at 2, 4, 8, ... users until requests/s stop rising: ``load_floor_rps``. Then the
mixed journey the same way: ``load_saturation_rps``, and their ratio, which says how far the
site's pages are from what Django itself costs here whatever the machine's mood. Then the floor page at the first step's
users with 1 s think time (``load_floor_50_users_p95``: whether this machine can hold the p95
target at all). Then each
step of ``--steps`` (1 s think time) ``--runs`` times (3), printing min, median and max of
requests/s, p50, p95 and p99 (``load_50_users_p95_median``, ``load_50_users_p95_max``, ...),
errors, and the server's own milliseconds per page from its ``Server-Timing`` header
(``load_50_users_server_cpu_ms_<page>``: CPU, with wall and database time and queries beside).
Before each run it notes the 1-minute load average and, after it, the CPU that processes
outside the load test used meanwhile; a run where they used more than a quarter of a core is
called DISTURBED. Each run also says how many cores each of its own parts used (gunicorn,
the Celery worker, locust, PostgreSQL's backends): what the machine spent on what.
``load_max_users_p95_100ms``: the largest step whose median p95 is ≤ 100 ms with no errors.
locust runs on the same cores as gunicorn and PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tooling.bench.env import redis_reachable

# Another name (BENCH_LOAD_DB) lets two load tests share one PostgreSQL server.
BENCH_DB = os.environ.get("BENCH_LOAD_DB", "prep_bench_load")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
P95_TARGET_MS = 100
CORES = os.cpu_count() or 1
CLK_TCK = os.sysconf("SC_CLK_TCK")
# A run is "disturbed" when processes outside the load test used more than this many cores
# while it ran (the load average before each run is printed too, but it still holds the
# previous run's own load).
OTHERS_DISTURB = 0.25
SETTLE_SECONDS = 3
# As docker/Dockerfile serves the site: sync workers, one more than the cores, so that a core
# is not left idle while a worker waits on PostgreSQL or Redis (``--workers`` to compare).
WORKERS = 3
# The Celery worker's nice value: CFS gives a nice-10 process about a tenth of a nice-0
# one's weight, as docker/compose.yaml's cpu_shares (128 of the default 1,024) do.
WORKER_NICE = 10


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


def _step(
    env,
    host: str,
    users: int,
    seconds: int,
    out: Path,
    *,
    kind: str = "Learner",
    think: float = 1.0,
    tag: str = "",
) -> dict:
    """One locust run of ``users`` simulated users of ``kind`` (locustfile.py's classes) for
    ``seconds`` once all are up: locust's figures, the server's own (Server-Timing) per
    request name, and what the machine was doing meanwhile."""
    prefix = out / f"{kind}-u{users}{tag}"
    # Open loop (think time): all users within ~5 s. Closed loop: all at once.
    spawn = max(users // 5, 1) if think else users
    timing = Path(f"{prefix}_timing.json")
    run_env = {**env, "PREP_LOADTEST_THINK": str(think), "PREP_LOADTEST_TIMING": str(timing)}
    load_before = os.getloadavg()[0]
    watch = _CpuWatch()
    subprocess.run(
        [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
         "--headless", "-u", str(users), "-r", str(spawn), "-t", f"{seconds + 6}s",
         "--host", host, "--csv", str(prefix), "--reset-stats", "--only-summary",
         "--loglevel", "ERROR", "--exit-code-on-error", "0", "--stop-timeout", "3", kind],
        env=run_env, check=True, stdout=subprocess.DEVNULL, stderr=open(f"{prefix}.log", "w"),
        timeout=seconds + 60,
    )  # fmt: skip
    others, split = watch.stop()
    rows = _stats(Path(f"{prefix}_stats.csv"))
    agg = rows.get("Aggregated")
    if agg is None or agg["50%"] == "N/A":
        log = Path(f"{prefix}.log").read_text()[-3000:]
        raise RuntimeError(f"locust made no requests at {users} users:\n{log}")
    server = json.loads(timing.read_text()) if timing.exists() else {}
    return {
        "users": users,
        "requests": int(agg["Request Count"]),
        "errors": int(agg["Failure Count"]),
        "rps": float(agg["Requests/s"]),
        "p50": float(agg["50%"]),
        "p95": float(agg["95%"]),
        "p99": float(agg["99%"]),
        "by_name": _by_name(rows),
        "server": server,  # name -> [responses, app ms, cpu ms, db ms, queries] (sums)
        "load_before": load_before,
        "others": others,
        "split": split,  # cores used by each of the load test's parts (PARTS)
        # The load average before a run still holds the previous run's own load, so it is
        # reported beside the figures; what others used during the run decides.
        "disturbed": others > OTHERS_DISTURB,
    }


def _stats(path: Path) -> dict[str, dict]:
    """locust's ``_stats.csv``: its rows by request name (and "Aggregated")."""
    with open(path) as fh:
        return {row["Name"]: row for row in csv.DictReader(fh)}


def _by_name(rows: dict[str, dict]) -> dict[str, tuple[float, int, int]]:
    """(p95 ms, requests, failures) per request name. A name whose every request failed has
    no percentile ("N/A" in locust's CSV): it is left out here, its failures still counted in
    the run's errors."""
    return {
        name: (float(r["95%"]), int(r["Request Count"]), int(r["Failure Count"]))
        for name, r in rows.items()
        if name != "Aggregated" and r["95%"] != "N/A"
    }


class _CpuWatch:
    """CPU used on the machine by processes that are not this load test's (its children —
    gunicorn, the Celery worker, locust — and PostgreSQL's backends serving its database),
    in cores, between creation and ``stop()``: another engineer's job shows up here; and how
    the load test's own share divided between its parts. Counted per process (a PostgreSQL
    backend that ends meanwhile takes its ticks with it: its part is then undercounted, and
    "others" overcounted, never negative)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.total, self.ours = _busy_ticks(), _our_ticks()

    def stop(self) -> tuple[float, dict[str, float]]:
        """(cores used by other processes, {part: cores} for each of PARTS) since creation,
        from one reading of the machine and of the load test's processes."""
        elapsed = max(time.monotonic() - self.start, 1e-3)
        total, now = _busy_ticks() - self.total, _our_ticks()
        used = dict.fromkeys(PARTS, 0)
        for pid, (part, ticks) in now.items():
            before = self.ours.get(pid)
            used[part] += max(ticks - before[1] if before and before[0] == part else ticks, 0)
        others = max(0.0, (total - sum(used.values())) / CLK_TCK / elapsed)
        return others, {part: n / CLK_TCK / elapsed for part, n in used.items()}


def _busy_ticks() -> int:
    with open("/proc/stat") as fh:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(
            int, fh.readline().split()[1:9]
        )
    return user + nice + system + irq + softirq + steal


# What each of the load test's processes is, by its command line (locust runs that have ended
# are counted from this process's children's usage).
PARTS = ("gunicorn", "worker", "locust", "postgres")


def _part(cmdline: bytes) -> str:
    if BENCH_DB.encode() in cmdline:
        return "postgres"  # a PostgreSQL backend of the load test's database
    for needle, part in ((b"gunicorn", "gunicorn"), (b"celery", "worker"), (b"locust", "locust")):
        if needle in cmdline:
            return part
    return ""


def _our_ticks() -> dict[object, tuple[str, int]]:
    """{pid: (part, CPU ticks)} of the load test's processes, and under the key "ended" the
    ticks of its children that have ended (locust runs)."""
    import resource

    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    kind: dict[int, str] = {}
    ours: set[int] = set()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rpartition(")")[2].split()
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                kind[pid] = _part(fh.read())
        except OSError:
            continue
        if kind[pid] == "postgres":
            ours.add(pid)
        parent[pid] = int(fields[1])
        ticks[pid] = int(fields[11]) + int(fields[12])
    me = os.getpid()
    for pid in parent:
        p = pid
        while p > 1 and p != me:
            p = parent.get(p, 0)
        if p == me and pid != me:
            ours.add(pid)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    out: dict[object, tuple[str, int]] = {pid: (kind[pid] or "locust", ticks[pid]) for pid in ours}
    out["ended"] = ("locust", round((done.ru_utime + done.ru_stime) * CLK_TCK))
    return out


def _saturate(env, host: str, kind: str, seconds: int, out: Path) -> tuple[dict, list[dict]]:
    """Closed loop (no think time) at 2, 4, 8, … users until requests/s stop rising (two
    steps in a row less than 5% above the best so far): the best step, and every step."""
    steps: list[dict] = []
    best = None
    flat = 0
    for users in (2, 4, 8, 16, 32, 64):
        time.sleep(SETTLE_SECONDS)
        r = _step(env, host, users, seconds, out, kind=kind, think=0)
        steps.append(r)
        rising = best is None or r["rps"] > best["rps"] * 1.05
        if best is None or r["rps"] > best["rps"]:
            best = r
        flat = 0 if rising else flat + 1
        if flat == 2:  # two steps in a row without a rise: one could be a noisy dip
            break
    return best, steps


def _slug(name: str) -> str:
    return re.sub(r"\W+", "_", name).strip("_").lower()


def _server_lines(prefix: str, runs: list[dict], label: str) -> list[str]:
    """Mean server milliseconds per request (CPU, wall, database) and queries, per page."""
    total: dict[str, list[float]] = {}
    for r in runs:
        for name, row in r["server"].items():
            acc = total.setdefault(name, [0, 0.0, 0.0, 0.0, 0])
            for i, value in enumerate(row):
                acc[i] += value
    lines = []
    for name, (n, app, cpu, db, queries) in sorted(
        total.items(), key=lambda kv: -kv[1][2] / max(kv[1][0], 1)
    ):
        if not n:
            continue
        lines.append(
            f"bench: {prefix}_server_cpu_ms_{_slug(name)} = {cpu / n:.1f} ms per request "
            f"({label}; Server-Timing: app {app / n:.1f} ms, database {db / n:.1f} ms, "
            f"{queries / n:.1f} queries; {n} requests)"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="50,75,100,150", help="user counts, in order")
    parser.add_argument("--seconds", type=int, default=30, help="measured seconds per step")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step")
    parser.add_argument(
        "--saturation-seconds", type=int, default=10, help="seconds per closed-loop step"
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (> 1: gthread)"
    )
    parser.add_argument(
        "--steps-only",
        action="store_true",
        help="skip the closed-loop floor and saturation (to compare two set-ups quickly)",
    )
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
    server = (
        f"gunicorn {args.workers} workers"
        + (f" x {args.threads} threads" if args.threads > 1 else "")
        + (" + 1 Celery worker, Redis" if redis_url else ", eager")
    )
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
                [str(BIN / "gunicorn"), "prep.wsgi:application", "--workers", str(args.workers),
                 "--threads", str(args.threads),
                 "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                cwd=ROOT, env=env,
            )  # fmt: skip
            if redis_url:
                # At a lower CPU priority, as docker/compose.yaml weighs the worker below the
                # web processes (cpu_shares): background reports yield the cores to pages.
                worker = subprocess.Popen(
                    ["nice", "-n", str(WORKER_NICE),
                     str(BIN / "celery"), "-A", "prep", "worker", "--concurrency", "1",
                     "--queues", env["CELERY_QUEUE"], "--loglevel", "WARNING"],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                    stderr=open(out / "worker.log", "w"),
                )  # fmt: skip
            _wait(f"{host}/healthz")
            print(
                "bench: note: load test rate limits raised (every *_RATE_PER_MINUTE setting "
                f"10^9/min, allauth limits off); DEBUG off; {n} signed-in seeded users; "
                f"locust, PostgreSQL, Redis and the worker share the {CORES} cores; "
                f"{args.seconds} s per step, {args.runs} runs each; a run is called disturbed "
                f"when other processes used more than {OTHERS_DISTURB} cores during it",
                flush=True,
            )
            if not args.steps_only:
                floor, floor_steps = _saturate(env, host, "Floor", args.saturation_seconds, out)
                mixed, mixed_steps = _saturate(env, host, "Learner", args.saturation_seconds, out)
                closed = f"postgresql, {server}, {size}; closed loop, no think time"
                for name, best, tried in (
                    ("floor", floor, floor_steps),
                    ("saturation", mixed, mixed_steps),
                ):
                    print(
                        f"bench: note: {name} closed loop: "
                        + ", ".join(
                            f"{r['users']} users {r['rps']:.0f} req/s (p95 {r['p95']:.0f} ms, load "
                            f"{r['load_before']:.1f}, others {r['others']:.2f} cores"
                            + (", disturbed)" if r["disturbed"] else ")")
                            for r in tried
                        ),
                        flush=True,
                    )
                    print(
                        f"bench: load_{name}_rps = {best['rps']:.0f} requests/s ({closed}, best of "
                        f"{len(tried)} steps: {best['users']} users; "
                        + ("the floor page" if name == "floor" else "the mixed journey")
                        + f"; {best['errors']} errors)",
                        flush=True,
                    )
                print(
                    f"bench: load_saturation_ratio = {mixed['rps'] / floor['rps']:.2f} "
                    f"(load_saturation_rps / load_floor_rps, {closed})",
                    flush=True,
                )
                for line in _server_lines("load_floor", [floor], closed):
                    print(line, flush=True)
                # What Django itself does here at the first step: whether the machine can hold
                # the p95 target at all (if not, the ratio is what to go by).
                time.sleep(SETTLE_SECONDS)
                users = steps[0]
                r = _step(env, host, users, args.seconds, out, kind="Floor", tag="-think")
                print(
                    f"bench: load_floor_{users}_users_p95 = {r['p95']:.0f} ms (postgresql, {server}, "
                    f"{size}; the floor page, {users} users, 1 s think time, one run; p50 "
                    f"{r['p50']:.0f} ms, {r['rps']:.1f} req/s, {r['errors']} errors, load average "
                    f"{r['load_before']:.2f} before, other processes {r['others']:.2f} cores; "
                    + "cores used by "
                    + ", ".join(f"{k} {v:.2f}" for k, v in r["split"].items())
                    + (", DISTURBED)" if r["disturbed"] else ")"),
                    flush=True,
                )
            best = None
            for users in steps:
                runs = []
                for i in range(args.runs):
                    time.sleep(SETTLE_SECONDS)
                    r = _step(env, host, users, args.seconds, out, tag=f"-{i}")
                    runs.append(r)
                    print(
                        f"bench: note: {users} users, run {i + 1} of {args.runs}: load average "
                        f"{r['load_before']:.2f} before, other processes "
                        f"{r['others']:.2f} cores during; p95 {r['p95']:.0f} ms, "
                        f"{r['rps']:.1f} req/s, {r['errors']} errors; cores used by "
                        + ", ".join(f"{k} {v:.2f}" for k, v in r["split"].items())
                        + (
                            "; DISTURBED: the machine was busy, figures are not clean"
                            if r["disturbed"]
                            else ""
                        ),
                        flush=True,
                    )
                label = f"postgresql, {server}, {size}; {users} users, 1 s think time"
                disturbed = sum(r["disturbed"] for r in runs)
                of = f"{args.runs} runs" + (f", {disturbed} disturbed" if disturbed else "")
                for name, unit in (
                    ("rps", "requests/s"),
                    ("p50", "ms"),
                    ("p95", "ms"),
                    ("p99", "ms"),
                ):
                    values = [r[name] for r in runs]
                    fmt = ".1f" if name == "rps" else ".0f"
                    for stat, value in (
                        ("min", min(values)),
                        ("median", statistics.median(values)),
                        ("max", max(values)),
                    ):
                        print(
                            f"bench: load_{users}_users_{name}_{stat} = {value:{fmt}} {unit} "
                            f"({label}; {of})",
                            flush=True,
                        )
                errors = sum(r["errors"] for r in runs)
                requests = sum(r["requests"] for r in runs)
                print(
                    f"bench: load_{users}_users_errors = {errors} of {requests} requests "
                    f"({label}; {of})",
                    flush=True,
                )
                p95_by_name: dict[str, list[float]] = {}
                for r in runs:
                    for name, (p95, _, _) in r["by_name"].items():
                        p95_by_name.setdefault(name, []).append(p95)
                slow = sorted(p95_by_name.items(), key=lambda kv: -statistics.median(kv[1]))
                print(
                    f"bench: note: p95 by request at {users} users (median of runs): "
                    + ", ".join(f"{name} {statistics.median(v):.0f} ms" for name, v in slow),
                    flush=True,
                )
                for line in _server_lines(f"load_{users}_users", runs, f"{label}; {of}"):
                    print(line, flush=True)
                median_p95 = statistics.median(r["p95"] for r in runs)
                if median_p95 <= P95_TARGET_MS and errors == 0:
                    best = users
                else:
                    break  # a larger count will not do better
            print(
                f"bench: load_max_users_p95_{P95_TARGET_MS}ms = {best or 0} users "
                f"(postgresql, {server}, {size}; steps {args.steps}, median of {args.runs} "
                "runs, zero errors)",
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
