"""`make bench`: run every benchmark module; each prints one figure a line.

Format: ``bench: <name> = <value> <unit> (<database>, <server>, <data size>)``.
BENCH_DATABASE_URL (default: the local PostgreSQL, database ``postgres``) must be reachable.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
MODULES = [
    "tooling.bench.engine",
    "tooling.bench.drills",
    "tooling.bench.flashcards",
    "tooling.bench.memory",
    "tooling.bench.booking",
    "tooling.bench.mocks",
    "tooling.bench.capture",
    "tooling.bench.capture_stream",
    "tooling.bench.transcripts",
    "tooling.bench.dashboard",
    "tooling.bench.judge",
    "tooling.loadtest",
]


def main() -> int:
    url = os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    try:
        import psycopg

        with psycopg.connect(
            url.replace("postgres://", "postgresql://", 1), connect_timeout=5
        ) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001
        print(f"bench: BENCH_DATABASE_URL={url} is unreachable: {exc}", file=sys.stderr)
        return 1
    failed = []
    for module in MODULES:
        if importlib.util.find_spec(module) is None:
            continue
        result = subprocess.run([sys.executable, "-m", module], env=os.environ.copy())
        if result.returncode != 0:
            failed.append(module)
    if failed:
        print(f"bench: failed modules: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
