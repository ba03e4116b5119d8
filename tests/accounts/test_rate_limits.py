"""Brute-force protection: 5 failed logins per account in 30 minutes, lockouts that expire."""

import uuid

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_five_failures_lock_the_account_and_the_lock_expires(client, real_rate_limits, monkeypatch):
    email = f"victim-{uuid.uuid4().hex[:8]}@example.com"
    UserFactory(email=email)
    for _ in range(5):
        response = login(client, email, "wrong-password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    # The sixth try is refused even with the right password.
    response = login(client, email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    # Lockouts expire by themselves: 31 minutes later the failures have left the window.
    import time

    from allauth.core.internal import ratelimit

    later = time.time() + 31 * 60
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    response = login(client, email, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_one_person_cannot_lock_out_everyone_from_one_address(client, real_rate_limits):
    """The per-account limit is per account: another account still logs in."""
    victim = f"v-{uuid.uuid4().hex[:8]}@example.com"
    other = f"o-{uuid.uuid4().hex[:8]}@example.com"
    UserFactory(email=victim)
    UserFactory(email=other)
    for _ in range(5):
        login(client, victim, "nope")
    assert login(client, other, PASSWORD).status_code == 302


def test_the_limits_are_the_documented_ones(real_rate_limits):
    assert real_rate_limits["login_failed"].startswith("5/30m/key")
    assert "signup" in real_rate_limits and "reset_password" in real_rate_limits
