"""Drills benchmark: ``python -m prep.drills.bench`` prints one figure a line.

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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("PREP_PLAIN_HTTP", "1")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL",
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
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
    t = time.perf_counter()
    result = services.attempts_import(user=other, data=out.getvalue().encode("utf-8"))
    rate = result.imported / (time.perf_counter() - t)
    print(
        f"bench: drills_csv_import = {rate:.0f} rows/s ({vendor}, in-process, {result.imported} rows)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
