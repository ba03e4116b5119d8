"""Shared fixtures: personas, the catalogue content, real services and Chromium.

With CI=true a test that needs PostgreSQL, Redis, a Celery worker or Chromium
fails instead of skipping; passes choose what they run by marker.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("PREP_CHROMIUM", "/usr/bin/chromium")


def unavailable(reason: str) -> None:
    """Fail under CI, skip on a developer machine that lacks the real part."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """PBKDF2's million rounds cost ~0.5 s per persona; tests check behaviour, not hashing."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker) -> bool:
    """Load the catalogue content once per test database; say whether there is one.

    pytest-django creates test databases only when a collected test needs one; a run of
    database-free modules alone has none, and must not load content into the real one."""
    from pytest_django.fixtures import _get_databases_for_setup

    if not _get_databases_for_setup(request.session.items)[0]:
        return False
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
    return True


@pytest.fixture(scope="module", autouse=True)
def _catalogue_present(django_db_setup, django_db_blocker):
    """A transactional test empties every table when it ends, catalogue included; put the
    catalogue back before the next module's tests (outside any test's transaction)."""
    from curriculum.models import Module

    if not django_db_setup:  # no test database in this run
        return
    with django_db_blocker.unblock():
        if not Module.objects.exists():
            call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def catalogue(django_db_blocker):
    """Reload the catalogue: transactional tests flush it away (idempotent, cheap)."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture(autouse=True)
def _no_account_rate_limits(request, settings):
    """Rate-limit counters live in the shared cache (Redis in CI) across tests and xdist
    workers; tests of the limits themselves use the ``real_rate_limits`` fixture."""
    if "real_rate_limits" not in request.fixturenames:
        settings.ACCOUNT_RATE_LIMITS = False
        settings.PREP_API_ANON_RATE_PER_MINUTE = 10**9


@pytest.fixture
def real_rate_limits(settings):
    from django.conf import settings as django_settings

    settings.ACCOUNT_RATE_LIMITS = REAL_RATE_LIMITS
    return django_settings.ACCOUNT_RATE_LIMITS


def _settings_rate_limits() -> dict:
    from django.conf import settings as django_settings

    return dict(django_settings.ACCOUNT_RATE_LIMITS)


REAL_RATE_LIMITS = _settings_rate_limits()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test asks for a real worker."""
    from prep.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _requires_real_parts(request):
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            unavailable("this test needs PostgreSQL (set DATABASE_URL)")
    if request.node.get_closest_marker("redis") or request.node.get_closest_marker("worker"):
        if not os.environ.get("REDIS_URL"):
            unavailable("this test needs Redis (set REDIS_URL)")


def _persona(email: str, **profile):
    return UserFactory(email=email, **{f"profile__{k}": v for k, v in profile.items()})


@pytest.fixture
def alice(db):
    return _persona("alice@example.com", role="mle")


@pytest.fixture
def bob(db):
    return _persona("bob@example.com", role="research")


@pytest.fixture
def charlie(db):
    return _persona("charlie@example.com", role="applied")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


# --- Chromium through Playwright -------------------------------------------------------
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        unavailable(f"Chromium is not installed at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# --- A real Celery worker ------------------------------------------------------------------
@pytest.fixture
def celery_worker(transactional_db, catalogue):
    """A real worker thread consuming from real Redis, on a queue of this xdist worker's own."""
    if not os.environ.get("REDIS_URL"):
        unavailable("a real Celery worker needs Redis (set REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    from prep.celery import app

    queue = f"prep-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved
