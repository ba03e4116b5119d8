"""What the benchmarks that serve the site over real HTTP share (capture, capture_stream).

``with site(name) as s:`` gives a PostgreSQL database of its own, created on the server of
BENCH_DATABASE_URL (``Unavailable`` when it does not answer) and dropped afterwards, with
Django set up in-process on it, migrated and its content loaded, so the bench can make its
users; ``s.serve([...])`` starts gunicorn or uvicorn on it as a subprocess, stopped at the
end. The settings are ``tooling.bench.capture_settings``: the site's, with the per-token
rate limit raised.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tooling.bench.env import DEFAULT_URL

BASE_DIR = Path(__file__).resolve().parents[2]
RATE_LIMIT_NOTE = (
    "bench: note: the per-token rate limit was raised to 10^9/minute for this run "
    "(tooling/bench/capture_settings.py)"
)


class Unavailable(Exception):
    """PostgreSQL did not answer at BENCH_DATABASE_URL, or a server the bench started did
    not come up: the bench exits 2."""


class BenchDatabase:
    """A fresh database ``name`` on BENCH_DATABASE_URL's server, and an admin connection
    to that server (for the drop, and for reading its statistics)."""

    def __init__(self, name: str):
        import psycopg

        self.name = name
        admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        try:
            self.admin = psycopg.connect(
                admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
            )
        except Exception as exc:  # noqa: BLE001 - any failure to connect ends the bench
            raise Unavailable(f"PostgreSQL unreachable at {admin_url}: {exc}") from exc
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{name}"')
        self.url = f"{admin_url.rpartition('/')[0]}/{name}"

    def deadlocks(self) -> int:
        row = self.admin.execute(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = %s", (self.name,)
        ).fetchone()
        return int(row[0]) if row else 0

    def close(self, *, keep: bool = False) -> None:
        """Drop the database (unless ``keep``) once Django's own connections are closed."""
        if not keep:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: BLE001, S110 - best effort before the drop
                pass
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.close()


def site_env(database_url: str, *, redis_url: str = "") -> dict[str, str]:
    """The environment of the served site (and of this process while it prepares it)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tooling.bench.capture_settings",
        "PREP_PLAIN_HTTP": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key"),
        "DEBUG": "0",
        "REDIS_URL": redis_url,
        "CONN_MAX_AGE": "60",
    }


def prepare_site(env: dict[str, str]) -> None:
    """Set Django up in this process on ``env``'s database: migrate and load the content."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("load_content", verbosity=0, stdout=quiet)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, what: str) -> None:
    """Until ``url`` answers; ``Unavailable`` when ``proc`` ends or a minute passes."""
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise Unavailable(f"{what} did not start") from None
            time.sleep(0.3)


@dataclass
class Site:
    db: BenchDatabase
    env: dict[str, str]
    procs: list[subprocess.Popen] = field(default_factory=list)

    def serve(self, args: list[str], **env: str) -> subprocess.Popen:
        """``python -m <args>`` (gunicorn, uvicorn) from the project's folder, on the site's
        environment (``env`` overrides some of it); stopped when the ``site`` block ends."""
        proc = subprocess.Popen(
            [sys.executable, "-m", *args], cwd=BASE_DIR, env={**self.env, **env}
        )
        self.procs.append(proc)
        return proc


@contextmanager
def site(db_name: str, *, redis_url: str = "", keep_db: bool = False) -> Iterator[Site]:
    db = BenchDatabase(db_name)
    served = Site(db, site_env(db.url, redis_url=redis_url))
    try:
        prepare_site(served.env)
        yield served
    finally:
        for proc in served.procs:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        db.close(keep=keep_db)
