"""A real Celery worker (Redis broker) sends a reminder found by the periodic sweep."""

import datetime as dt
import time
from email import message_from_string
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from prep.booking import services, tasks
from prep.booking.models import Reminder
from tests.booking.factories import SlotFactory, verify

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def emails(folder):
    """The messages the file backend wrote (one file per connection, messages split by a
    line of dashes), parsed back."""
    out = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                out.append(message_from_string(chunk.strip()))
    return out


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_the_worker_sends_one_reminder(celery_worker, settings, tmp_path, alice, bob):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    verify(bob)
    services.settings_update(user=alice, meeting_url="", invite_emails=False, reminder_emails=False)
    services.settings_update(user=bob, meeting_url="", invite_emails=False, reminder_emails=True)
    start = (timezone.now() + dt.timedelta(minutes=50)).replace(second=0, microsecond=0)
    services.booking_create(guest=bob, slot=SlotFactory(host=alice, starts_at=start))

    tasks.reminders_sweep.delay()
    assert wait_for(lambda: Reminder.objects.filter(sent_at__isnull=False).exists())
    reminders = [m for m in emails(tmp_path) if subject(m).startswith("[Prep] Reminder:")]
    assert len(reminders) == 1
    assert reminders[0]["To"] == "bob@example.com"
    assert reminders[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A second sweep over the same window sends nothing more.
    tasks.reminders_sweep.delay()
    time.sleep(2)
    assert len([m for m in emails(tmp_path) if "Reminder:" in subject(m)]) == 1
    assert Reminder.objects.count() == 1
