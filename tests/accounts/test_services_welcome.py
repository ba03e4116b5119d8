import pytest
from django.core import mail

from prep.accounts import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_welcome_email_is_sent_once(django_capture_on_commit_callbacks):
    user = UserFactory(email="frank@example.com", profile=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_signed_up(user=user)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["frank@example.com"]
    assert services.welcome_email_send(user_id=user.pk) is False
    assert len(mail.outbox) == 1


def test_welcome_email_is_not_sent_when_signup_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory(email="gina@example.com", profile=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_signed_up(user=user)
    # Enqueued only on commit: nothing has gone out yet.
    assert len(callbacks) == 1
    assert mail.outbox == []
