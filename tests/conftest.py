"""Shared fixtures: personas, the catalogue content, real services and Chromium.

With CI=true a test that needs PostgreSQL, Redis, a Celery worker or Chromium
fails instead of skipping; passes choose what they run by marker.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("PREP_CHROMIUM", "/usr/bin/chromium")


# --- Time is an input -------------------------------------------------------------------
# Every test runs on a pinned clock that starts at PINNED_AT and ticks from there, so no test
# depends on the day it runs. PREP_TEST_DATE (an ISO date or datetime, UTC unless it says
# otherwise) moves the pin: CI runs the date-sensitive tests (marker ``dated``) across a week,
# New Year's Eve late evening and the DST changes (`.ci/run`). A test that needs an instant of
# its own nests ``time_machine.travel(...)`` inside (the ``travel`` fixture).
DEFAULT_TEST_DATE = "2027-01-13T10:00:00+00:00"  # a Wednesday, far from any DST change


def pinned_instant(value: str | None = None) -> dt.datetime:
    raw = (value or os.environ.get("PREP_TEST_DATE") or DEFAULT_TEST_DATE).strip()
    at = dt.datetime.fromisoformat(raw if "T" in raw or " " in raw else f"{raw}T10:00:00")
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


PINNED_AT = pinned_instant()
# PREP_TEST_DATES (comma-separated) runs every dated test once per instant, in one process:
# CI's pinned-date pass.
SWEEP = [pinned_instant(d) for d in os.environ.get("PREP_TEST_DATES", "").split(",") if d.strip()]

# The tests that read "today" or "now" through the code under test: plan, streaks, reminders,
# booking slots, the today page and readiness. The pinned-date pass of CI runs these.
DATED = (
    "tests/curriculum/test_services_plans.py",  # the plan: rebuilds, roll-forward, days off
    "tests/curriculum/test_views_plan.py",  # the week view, streaks, ticking today
    "tests/dashboard/test_views_today.py",  # the today list and readiness
    "tests/dashboard/test_review_load.py",  # the forecast review load from today
    "tests/booking/test_services_availability.py",  # booking slots across DST changes
    "tests/booking/test_services_reminders.py",  # reminders due relative to now
    "tests/e2e/test_plan_journey.py",  # the browser's today and the server's agree
)


def pytest_report_header(config):
    if SWEEP:
        return "pinned clock, dated tests run at: " + ", ".join(d.isoformat() for d in SWEEP)
    return f"pinned clock: {PINNED_AT.isoformat()} (PREP_TEST_DATE to move it)"


def pytest_configure(config):
    # Code that reads the clock at import time (module constants) sees the pinned clock too.
    time_machine.travel(PINNED_AT, tick=True).start()


def _is_dated(config, path) -> bool:
    root = str(config.rootpath)
    return str(path)[len(root) + 1 :].replace(os.sep, "/").startswith(DATED)


def pytest_generate_tests(metafunc):
    if SWEEP and _is_dated(metafunc.config, metafunc.definition.path):
        metafunc.parametrize(
            "pinned_at", SWEEP, indirect=True, ids=[d.strftime("at%Y%m%dT%H%M%z") for d in SWEEP]
        )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_dated(config, item.path):
            item.add_marker(pytest.mark.dated)
        # Programs in the judge's real sandbox: the database plays no part in what they show.
        if "real_sandbox" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.sandbox)


@pytest.fixture
def pinned_at(request) -> dt.datetime:
    """The instant this test's clock starts at (each instant of the sweep, in a sweep)."""
    return getattr(request, "param", PINNED_AT)


@pytest.fixture(autouse=True)
def _pinned_clock(pinned_at):
    """The wall clock of the process (every thread, the live server's included) starts at
    ``pinned_at`` for each test and ticks; monotonic clocks are left alone."""
    with time_machine.travel(pinned_at, tick=True) as traveller:
        yield traveller


@pytest.fixture
def travel():
    """``travel("2027-03-08 12:00")``: move the clock to an instant a test needs (UTC)."""
    import contextlib

    with contextlib.ExitStack() as stack:

        def _travel(when, *, tick: bool = True):
            return stack.enter_context(time_machine.travel(pinned_instant(str(when)), tick=tick))

        yield _travel


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
