"""Drills benchmark: ``python -m tooling.bench.drills`` prints one figure a line.

Uses BENCH_DATABASE_URL (default: the local PostgreSQL, database ``postgres``) through
DATABASE_URL, builds a throw-away test database, loads the bank, and measures the
problem list, the coverage page (Django test client, in-process) and a CSV import.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def main() -> int:
    from tooling.bench.env import django_for_bench

    django_for_bench()
    from django.core.management import call_command
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command(
            "load_content",
            "--only",
            "curriculum",
            "--only",
            "drills",
            verbosity=0,
            stdout=open(os.devnull, "w"),
        )
        return _run(connection.vendor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _time(fn, n: int) -> float:
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def _run(vendor: str) -> int:
    import io

    from django.test import Client

    from prep.drills import services
    from tests.drills.factories import bulk_attempts
    from tests.factories import UserFactory

    user = UserFactory(email="bench@example.com")
    n = 5000
    bulk_attempts(user, n)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have, after the bulk load
    client = Client()
    client.force_login(user)
    server = "django test client, in-process"
    for name, url in [
        ("drills_problem_list", "/drills/"),
        ("drills_coverage", "/drills/coverage/"),
    ]:
        assert client.get(url).status_code == 200
        ms = _time(lambda url=url: client.get(url), 20)
        print(f"bench: {name} = {ms:.1f} ms (median of 20) ({vendor}, {server}, {n} attempts)")
    out = io.StringIO()
    services.attempts_export(user=user, out=out)
    other = UserFactory(email="bench2@example.com")
    # An import takes at most IMPORT_MAX_ROWS rows: time the largest file it accepts (the
    # header and IMPORT_MAX_ROWS attempts), read as an upload is, from a file.
    lines = out.getvalue().splitlines(keepends=True)
    data = "".join(lines[: services.IMPORT_MAX_ROWS + 1]).encode("utf-8")
    t = time.perf_counter()
    result = services.attempts_import(user=other, data=io.BytesIO(data))
    rate = result.imported / (time.perf_counter() - t)
    assert result.imported == services.IMPORT_MAX_ROWS, result
    print(
        f"bench: drills_csv_import = {rate:.0f} rows/s ({vendor}, in-process, {result.imported} rows)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
