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


@pytest.fixture(scope="module", autouse=True)
def _catalogue_present(django_db_setup, django_db_blocker):
    """Transactional tests (the PostgreSQL races, the worker, the browser journeys) end with
    a flush that empties the catalogue loaded once per session; reload it before the next
    module so its tests find prompts and rubrics."""
    import os

    from django.core.management import call_command

    from prep.mocks.models import Prompt

    with django_db_blocker.unblock():
        if not Prompt.objects.exists():
            call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
