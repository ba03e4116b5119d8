from __future__ import annotations

import pytest

from prep.flashcards import services


@pytest.fixture
def enrolled_alice(alice):
    """Alice with a (new) state for every starter-deck card."""
    services.states_enrol(user=alice)
    return alice


def show(client, url="/flashcards/review/"):
    """GET the review page (as htmx when asked) and return the response."""
    return client.get(url)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created per test; PBKDF2's deliberate slowness buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
