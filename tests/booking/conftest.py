import pytest
from django.core import mail

from tests.booking.factories import SlotFactory, verify


@pytest.fixture
def verified_bob(bob):
    return verify(bob)


@pytest.fixture
def verified_alice(alice):
    return verify(alice)


@pytest.fixture
def slot(alice):
    """An open ML system design slot of alice's, three days ahead."""
    return SlotFactory(host=alice)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas are made with a password; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
