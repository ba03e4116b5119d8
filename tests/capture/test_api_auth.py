"""Tokens: only a live bearer token in the Authorization header opens the capture API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prep.accounts.models import ApiToken
from prep.accounts.tokens import api_token_authenticate, api_token_create, api_token_revoke

from .conftest import API, Api, seg

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.capture.urls")]


def test_a_token_is_stored_as_a_keyed_hash_and_shown_once(alice):
    token, plaintext = api_token_create(user=alice, name="laptop")
    assert plaintext.startswith(f"prep_{token.prefix}_")
    assert len(plaintext.split("_", 2)[2]) >= 43  # 32 random bytes, urlsafe base64
    row = ApiToken.objects.get(pk=token.pk)
    assert plaintext not in (row.digest, row.prefix, row.name)
    assert len(row.digest) == 64
    assert api_token_authenticate(plaintext).pk == token.pk


def test_a_tampered_secret_with_a_valid_prefix_is_refused(alice):
    _, plaintext = api_token_create(user=alice, name="laptop")
    tampered = plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")
    assert api_token_authenticate(tampered) is None
    assert api_token_authenticate("") is None
    assert api_token_authenticate("prep_zz_") is None


def test_last_used_is_recorded_at_most_once_a_minute(alice):
    token, plaintext = api_token_create(user=alice, name="laptop")
    t0 = timezone.now()
    api_token_authenticate(plaintext, now=t0)
    api_token_authenticate(plaintext, now=t0 + dt.timedelta(seconds=10))
    token.refresh_from_db()
    assert token.last_used_at == t0
    api_token_authenticate(plaintext, now=t0 + dt.timedelta(seconds=61))
    token.refresh_from_db()
    assert token.last_used_at == t0 + dt.timedelta(seconds=61)


def test_no_token_is_401(client, session_id):
    response = Api(client, None).get(f"{API}/{session_id}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_revoked_token_is_refused(client, alice, session_id):
    token, plaintext = api_token_create(user=alice, name="old")
    assert Api(client, plaintext).get(f"{API}/{session_id}").status_code == 200
    api_token_revoke(token=token)
    assert Api(client, plaintext).get(f"{API}/{session_id}").status_code == 401


def test_a_token_of_an_inactive_user_is_refused(client, alice, alice_token, session_id):
    alice.is_active = False
    alice.save()
    assert Api(client, alice_token).get(f"{API}/{session_id}").status_code == 401


def test_the_token_in_a_query_string_is_refused(client, alice_token, session_id):
    response = client.get(f"{API}/{session_id}?token={alice_token}")
    assert response.status_code == 401
    response = client.get(f"{API}/{session_id}?access_token={alice_token}")
    assert response.status_code == 401


def test_the_token_in_a_cookie_is_refused(client, alice_token, session_id):
    client.cookies["Authorization"] = f"Bearer {alice_token}"
    client.cookies["token"] = alice_token
    assert client.get(f"{API}/{session_id}").status_code == 401


def test_a_logged_in_browser_session_does_not_open_the_api(client, alice, session_id):
    client.force_login(alice)
    assert client.get(f"{API}/{session_id}").status_code == 401
    response = client.post(f"{API}", data={}, content_type="application/json")
    assert response.status_code == 401


def test_other_schemes_are_refused(client, alice_token, session_id):
    for header in (f"Token {alice_token}", f"Basic {alice_token}", alice_token):
        response = client.get(f"{API}/{session_id}", headers={"Authorization": header})
        assert response.status_code == 401


def test_bearer_api_needs_no_csrf_token(alice_token, session_id):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = Api(strict, alice_token).segments(session_id, [seg(0)])
    assert response.status_code == 200


# --- Another user's session is a 404 on every route ------------------------------------
ROUTES = [
    ("get", "{api}/{id}", None),
    ("post", "{api}/{id}/segments", {"segments": [seg(0)]}),
    ("post", "{api}/{id}/pins", {"kind": "note", "text": "x", "at_ms": 0}),
    ("post", "{api}/{id}/phases", {"phase": "framing", "at_ms": 0}),
    ("get", "{api}/{id}/context", None),
    ("post", "{api}/{id}/end", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_another_users_session_is_404_on_every_route(charlie_api, session_id, method, path, body):
    url = path.format(api=API, id=session_id)
    response = charlie_api.get(url) if method == "get" else charlie_api.post(url, body)
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_an_unknown_session_is_404_on_every_route(api, method, path, body):
    url = path.format(api=API, id=987654)
    response = api.get(url) if method == "get" else api.post(url, body)
    assert response.status_code == 404


def test_charlie_touching_alices_session_changes_nothing(api, charlie_api, session_id):
    charlie_api.segments(session_id, [seg(0, "charlie was here")])
    charlie_api.post(f"{API}/{session_id}/end")
    summary = api.get(f"{API}/{session_id}").json()
    assert summary["status"] == "active"
    assert summary["counts"]["segments"] == 0
