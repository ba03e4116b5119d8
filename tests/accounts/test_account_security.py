"""Account security: two-factor sign-in, a recent sign-in before the dangerous actions, the
session list with "sign out everywhere", email notices, and scoped, expiring API tokens."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prep.accounts.models import ApiToken
from prep.accounts.tokens import api_token_authenticate, api_token_create
from tests.factories import PASSWORD, UserFactory, fresh_login

pytestmark = pytest.mark.django_db


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def eve(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return UserFactory(email="eve@example.com")


def test_with_two_factor_a_password_alone_does_not_sign_in(client, eve):
    secret = generate_totp_secret()
    TOTP.activate(eve, secret)
    RecoveryCodes.activate(eve)
    response = sign_in(client, eve.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(eve.pk)
    # A recovery code works once instead of the app.
    other = Client()
    sign_in(other, eve.email)
    code = RecoveryCodes(eve.authenticator_set.get(type="recovery_codes")).get_unused_codes()[0]
    other.post(reverse("mfa_authenticate"), {"code": code})
    assert other.session["_auth_user_id"] == str(eve.pk)


def test_deleting_the_account_and_creating_a_token_need_a_recent_sign_in(client, eve):
    client.force_login(eve)  # signed in, but no sign-in recorded in this session
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert get_user_model().objects.filter(pk=eve.pk).exists()
    response = client.post(reverse("accounts:api_tokens"), {"name": "laptop"})
    assert "reauthenticate" in response["Location"] and not ApiToken.objects.exists()
    # A sign-in more than 5 minutes ago does not count either.
    fresh_login(client, eve)
    session = client.session
    session["account_authentication_methods"][-1]["at"] = time.time() - 301
    session.save()
    response = client.post(reverse("accounts:api_tokens"), {"name": "laptop"})
    assert "reauthenticate" in response["Location"]
    # Re-authenticating with the password opens both.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("accounts:api_tokens"), {"name": "laptop"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:api_tokens")
    assert ApiToken.objects.filter(user=eve).count() == 1


def test_a_sign_in_within_five_minutes_counts(client, eve):
    sign_in(client, eve.email)
    response = client.post(reverse("accounts:api_tokens"), {"name": "laptop"})
    assert response.status_code == 302 and "reauthenticate" not in response["Location"]
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response["Location"] == reverse("home")
    assert not get_user_model().objects.filter(pk=eve.pk).exists()


def test_security_notices_by_email(client, eve, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, eve.email)
    assert [m.subject for m in mailoutbox] == ["[Prep] New sign-in to your Prep account"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:api_tokens"), {"name": "laptop"})
    assert [m.subject for m in mailoutbox] == [
        "[Prep] A new API token was created for your Prep account"
    ]
    assert "laptop" in mailoutbox[0].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "an-other-pass-9!",
                "password2": "an-other-pass-9!",
            },
        )
    assert len(mailoutbox) == 1 and "password" in mailoutbox[0].subject.lower()
    assert all(m.to == [eve.email] for m in mailoutbox)


def test_the_session_list_and_sign_out_everywhere(eve):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    sign_in(laptop, eve.email)
    sign_in(phone, eve.email)
    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Laptop" in page and "Phone" in page
    laptop.post(reverse("usersessions_list"))  # sign out the other sessions
    assert laptop.get(reverse("dashboard:today")).status_code == 200
    assert phone.get(reverse("dashboard:today"))["Location"].startswith(reverse("account_login"))


def test_tokens_have_a_scope_and_an_optional_expiry(client, eve):
    _, reader = api_token_create(user=eve, name="dashboard", scope=ApiToken.Scope.READ)
    _, capture = api_token_create(user=eve, name="overlay")
    body = {"title": "Mock", "kind": "ml_system_design"}
    url = "/api/v1/capture/sessions"
    response = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {reader}"
    )
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
    response = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {capture}"
    )
    assert response.status_code == 201
    session_id = response.json()["id"]
    got = client.get(f"{url}/{session_id}", HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert got.status_code == 200
    # Expiry: refused from then on.
    token, soon = api_token_create(
        user=eve, name="short", expires_at=timezone.now() + dt.timedelta(days=7)
    )
    assert api_token_authenticate(soon) is not None
    assert api_token_authenticate(soon, now=timezone.now() + dt.timedelta(days=8)) is None
    # The form makes them too; a plain post of a name alone still makes a capture token.
    fresh_login(client, eve)
    client.post(reverse("accounts:api_tokens"), {"name": "ro", "scope": "read", "expires": "30"})
    made = ApiToken.objects.get(name="ro")
    assert (
        made.scope == "read"
        and made.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    )
