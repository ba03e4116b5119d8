import time

import pytest
from django.core import mail

from prep.accounts import services
from prep.accounts.models import Profile
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_welcome_email_goes_through_a_real_worker(celery_worker):
    user = UserFactory(email="worker@example.com", profile=None)
    services.user_signed_up(user=user)  # autocommit: enqueued at once, to Redis
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["worker@example.com"]]
    assert Profile.objects.get(user=user).welcome_email_sent_at is not None
