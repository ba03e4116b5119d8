"""Every page, visited in real Chromium, raises no Content-Security-Policy violation."""

import random

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory
from tooling.demo import seeders

pytestmark = pytest.mark.e2e

SKIP_PREFIXES = ("admin/", "api/", "accounts/logout", "calendar/", "healthz")


def parameterless_get_pages() -> list[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if "<" in route or "(?P" in route or route.startswith(SKIP_PREFIXES):
                    continue
                yield "/" + route.replace("^", "").replace("$", "")

    return sorted(set(walk(get_resolver().url_patterns)))


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    return violations


def test_no_page_violates_the_csp(page, live_server, login):
    user = UserFactory(email="walker@example.com", profile=None)
    onboard(user)
    rng = random.Random(3)
    for seeder in seeders():
        seeder.func(user, days=3, rng=rng)
    violations = watch_csp(page)
    login(user)
    visited = 0
    for path in parameterless_get_pages():
        url = f"{live_server.url}{path}"
        probe = page.request.get(url, max_redirects=0)
        if probe.status != 200 or "text/html" not in probe.headers.get("content-type", ""):
            continue  # POST-only actions, redirects, downloads
        page.goto(url)
        page.wait_for_load_state("networkidle")
        visited += 1
    assert visited >= 25
    assert violations == []
