"""Account security in the browser: turn on two-factor sign-in, sign out, sign in again with a
code from the authenticator (computed here from the secret the page shows), see the session
list, and sign out everywhere else."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.e2e.conftest import follow, shot
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_two_factor_sign_in_and_sign_out_everywhere(page, browser, live_server, login, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code from the neighbouring 30 s window still counts
    user = login(UserFactory(email="tess@example.com"))
    # Another device is signed in too.
    other = browser.new_context()
    phone = other.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Email").fill(user.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(f"{live_server.url}/dashboard/")

    page.goto(f"{live_server.url}/accounts/2fa/")
    follow(page, page.get_by_role("link", name=re.compile("Activate", re.I)).first)
    # Turning two-factor on asks for the password again.
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Confirm"))
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    page.get_by_label(re.compile("Authenticator code", re.I)).fill(code(secret))
    shot(page, "security-activate-totp")
    follow(page, page.get_by_role("button", name=re.compile("Activate", re.I)))
    expect(page.get_by_text(re.compile("recovery codes", re.I)).first).to_be_visible()

    # Sign out; the password alone no longer signs in.
    page.get_by_role("button", name="Log out").first.click(force=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.get_by_label("Code", exact=True).fill(code(secret))
    shot(page, "security-totp-sign-in")
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The session list shows both devices; sign out everywhere else.
    page.goto(f"{live_server.url}/accounts/sessions/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Current")).to_be_visible()
    shot(page, "security-sessions")
    page.get_by_role("button", name=re.compile("Sign Out", re.I)).click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    phone.goto(f"{live_server.url}/dashboard/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/dashboard/")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    other.close()
