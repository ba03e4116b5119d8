"""Throttling where it matters: the admin's sign-in, unauthenticated API requests, and limits
per real client behind the trusted proxies."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


def test_the_admin_login_form_goes_through_the_rate_limited_sign_in(client, real_rate_limits):
    email = _email("staff")
    UserFactory(email=email, username=email.split("@")[0], is_staff=True, is_superuser=True)
    for _ in range(40):
        response = client.post("/admin/login/", {"username": email.split("@")[0], "password": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    # The site's own sign-in locks the account after 5 failures; the admin form cannot
    # get around that lock with the right password.
    for _ in range(5):
        client.post(reverse("account_login"), {"login": email, "password": "wrong"})
    client.post("/admin/login/", {"username": email.split("@")[0], "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_trusted_proxy_setting_is_read_from_the_environment():
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "1", "SECRET_KEY": "x", "DEBUG": "0"}
    out = subprocess.run(
        [sys.executable, "-c", "import prep.settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "1"


def test_behind_the_proxy_one_client_cannot_lock_out_another(client, settings, real_rate_limits):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim = _email("victim")
    UserFactory(email=victim)
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "10.0.0.2"}
    for n in range(21):
        client.post(
            reverse("account_login"), {"login": _email(f"guess{n}"), "password": "x"}, **attacker
        )
    blocked = client.post(
        reverse("account_login"), {"login": _email("more"), "password": "x"}, **attacker
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    response = client.post(
        reverse("account_login"),
        {"login": victim, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        REMOTE_ADDR="10.0.0.2",  # the same proxy
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_unauthenticated_api_requests_are_limited_per_client(client, settings):
    settings.PREP_API_ANON_RATE_PER_MINUTE = 10
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = "/api/v1/capture/sessions/1"
    me = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{uuid.uuid4().int % 250}", "REMOTE_ADDR": "10.0.0.2"}
    for _ in range(10):
        assert client.get(url, HTTP_AUTHORIZATION="Bearer wrong", **me).status_code == 401
    response = client.get(url, HTTP_AUTHORIZATION="Bearer wrong", **me)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.99", "REMOTE_ADDR": "10.0.0.2"}
    assert client.get(url, **other).status_code == 401
