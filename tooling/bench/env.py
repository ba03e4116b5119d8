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


def django_for_bench_on(
    database_url: str | None,
    sqlite_path: str | None,
    *,
    test_name: str | None = None,
    redis_url: str | None = None,
    celery_queue: str | None = None,
) -> None:
    """Set Django up for a benchmark that picks its database: PostgreSQL at ``database_url``,
    else the SQLite file ``sqlite_path``; DEBUG off, plain HTTP, the test client's host
    allowed, MD5 password hashing (fixtures are built, hashing is not what is measured).
    ``test_name`` names the PostgreSQL test database the benchmark creates (on SQLite it is
    the file itself). With ``redis_url`` Celery sends to that broker, on ``celery_queue`` if
    given (a queue of the run's own, so no other worker takes its tasks); without, tasks
    run eagerly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["PREP_PLAIN_HTTP"] = "1"
    os.environ["DEBUG"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = sqlite_path
    os.environ["REDIS_URL"] = redis_url or ""
    if celery_queue:
        os.environ["CELERY_QUEUE"] = celery_queue
    import django

    django.setup()
    from django.conf import settings

    if test_name or not database_url:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
            test_name if database_url else sqlite_path
        )
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def redis_reachable(url: str) -> bool:
    """Whether a Redis server answers at ``url`` (a benchmark that needs one says so)."""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    return True
