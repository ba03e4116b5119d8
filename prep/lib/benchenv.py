"""Shared start-up for the benchmark modules that run Django in-process against a
throw-away test database on the benchmark's PostgreSQL (BENCH_DATABASE_URL)."""

from __future__ import annotations

import os

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def django_for_bench() -> None:
    """Point Django at BENCH_DATABASE_URL, set it up, and allow the test client's host."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("PREP_PLAIN_HTTP", "1")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", os.environ.get("DATABASE_URL", DEFAULT_URL)
    )
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]


def redis_reachable(url: str) -> bool:
    """Whether a Redis server answers at ``url`` (a benchmark that needs one says so)."""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    return True
