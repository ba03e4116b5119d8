from __future__ import annotations

import json

import pytest

from prep.accounts.tokens import api_token_create

API = "/api/v1/capture/sessions"


class Api:
    """A thin JSON client for the capture API with a bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def post(self, path, body=None, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            path, data=data, content_type="application/json", headers=self._headers(headers)
        )

    def get(self, path, headers=None):
        return self.client.get(path, headers=self._headers(headers))

    def create(self, **body):
        body = {"title": "Design a feed ranker", "kind": "ml_system_design", **body}
        return self.post(API, body)

    def segments(self, session_id, segments):
        return self.post(f"{API}/{session_id}/segments", {"segments": segments})


def seg(seq, text=None, *, final=True, speaker="A", start=None):
    start = seq * 1000 if start is None else start
    return {
        "seq": seq,
        "speaker": speaker,
        "text": text if text is not None else f"segment {seq}",
        "start_ms": start,
        "end_ms": start + 900,
        "final": final,
    }


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' password hashing dominated these tests' time; MD5 is fine for tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice_token(alice):
    return api_token_create(user=alice, name="overlay")[1]


@pytest.fixture
def charlie_token(charlie):
    return api_token_create(user=charlie, name="overlay")[1]


@pytest.fixture
def api(client, alice_token):
    return Api(client, alice_token)


@pytest.fixture
def charlie_api(client, charlie_token):
    return Api(client, charlie_token)


@pytest.fixture
def session_id(api):
    response = api.create(question="Design a news feed ranking system")
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def peer_booking(db):
    """Book a real peer mock between ``host`` and ``guest`` (tests.transcripts.factories)."""
    from tests.transcripts.factories import booking

    return booking
