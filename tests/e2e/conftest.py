"""Browser journeys: real Chromium (Playwright) against the live server.

Journeys act only through the UI once their fixtures are set up. A failing
journey leaves a screenshot in test-artifacts/ (pytest-playwright's
--screenshot only-on-failure, set in pyproject).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _e2e_db(transactional_db, catalogue):
    """Journeys run against a live server: real commits, and the catalogue reloaded."""


@pytest.fixture(autouse=True)
def _end_open_streams(_e2e_db):
    """After the browser has gone, end the live server's open event streams (they would
    wait for their next heartbeat) while the test database still exists."""
    yield
    from prep.lib import pubsub

    pubsub.hub.deliver_all(pubsub.CLOSE)


@pytest.fixture
def new_context(new_context):
    """Every browser context runs on the same clock as the live server: both start at the
    tests' pinned instant and tick (Playwright's clock; tests/conftest.py pins the server).
    A second person in a journey takes ``new_context()``, not ``browser.new_context()``."""

    def _new_context(**kwargs):
        context = new_context(**kwargs)
        context.clock.install(time=dt.datetime.now(dt.UTC))
        return context

    return _new_context


@pytest.fixture
def login(page, live_server):
    """Log a user in through the login form; returns the user."""

    def _login(user=None, **profile):
        user = user or UserFactory(**{f"profile__{k}": v for k, v in profile.items()})
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/dashboard/")
        return user

    return _login


def shot(page, name: str) -> Path:
    """Save a screenshot of the current page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def follow(page, locator) -> None:
    """Click ``locator``, which loads a new page, and wait until that page's scripts are bound
    (prep.js marks ``<html data-ready>``): typing into an htmx form before htmx has processed
    it would be lost, and a fast test on a slow machine does exactly that."""
    page.evaluate("document.documentElement.removeAttribute('data-ready')")
    locator.click()
    expect(page.locator("html[data-ready]")).to_be_attached()


@pytest.fixture(scope="session")
def real_sandbox():
    """The ML coding judge's real sandbox (tests/judge/conftest.py has the same)."""
    from prep.judge import sandbox
    from tests.conftest import unavailable

    reason = sandbox.probe()
    if reason:
        unavailable(f"the judge sandbox is not available: {reason}")
