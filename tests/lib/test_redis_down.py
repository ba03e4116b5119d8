"""With Redis unreachable (REDIS_URL pointing at a closed port), the site stays up.

Sessions and caches fall back to the database with a logged warning; sign-up, sign-in and
every page answer; the API answers JSON; tasks enqueued meanwhile wait in the outbox and
run once the broker is back; /healthz names what is down and still answers 200.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.core import mail
from django.urls import reverse

from prep.lib.models import TaskOutbox
from tests.e2e.test_csp_walk import parameterless_get_pages
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    from prep.celery import app
    from prep.lib import cache as resilient

    settings.REDIS_URL = CLOSED
    settings.CACHES = {
        "default": {
            "BACKEND": "prep.lib.cache.ResilientRedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = CLOSED, False
    app._pool = None  # connections made for an earlier broker URL are not reused
    app.amqp._producer_pool = None
    resilient._Outage.down_until = 0.0
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None
    resilient._Outage.down_until = 0.0


def test_sign_up_sign_in_and_every_page_answer(
    client, redis_down, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "erin@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:onboarding")
    assert "Redis cache unreachable" in caplog.text
    # The welcome email (and the sign-in notice) could not reach the broker: kept, not lost.
    assert set(TaskOutbox.objects.values_list("name", flat=True)) == {
        "prep.accounts.tasks.send_welcome_email",
        "prep.accounts.tasks.send_security_notice",
    }
    response = client.post(
        reverse("accounts:onboarding"),
        {"role": "mle", "weekly_hours": 8, "weekdays": ["0", "2", "4"], "timezone": "UTC"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "erin@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302

    failed = {}
    for path in parameterless_get_pages():
        status = client.get(path).status_code
        if status >= 500:
            failed[path] = status
    assert failed == {}
    assert len(parameterless_get_pages()) >= 25

    # The API answers JSON, whatever happens.
    response = client.get("/api/v1/capture/sessions/999999", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")

    health = client.get("/healthz")
    body = json.loads(health.content)
    assert health.status_code == 200
    assert body["database"]["status"] == "ok"
    assert body["cache"]["status"] == "down" and body["broker"]["status"] == "down"
    assert body["broker"]["outbox"] >= 2


def test_kept_tasks_run_when_the_broker_returns(
    client, redis_down, django_capture_on_commit_callbacks
):
    from prep.celery import app
    from prep.lib import outbox

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "fay@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    kept = TaskOutbox.objects.count()
    assert kept == 2  # the welcome email and the sign-in notice
    mail.outbox = []
    # Still down: the drain keeps the rows.
    assert outbox.outbox_drain() == 0
    assert TaskOutbox.objects.order_by("id").first().attempts == 1
    # The broker is back (here: tasks run in-process): the drain sends both emails.
    app.conf.task_always_eager = True
    assert outbox.outbox_drain() == kept
    assert not TaskOutbox.objects.exists()
    assert {m.subject for m in mail.outbox} == {
        "[Prep] New sign-in to your Prep account",
        "Welcome to Prep",
    }
    assert all(m.to == ["fay@example.com"] for m in mail.outbox)


def test_healthz_is_503_only_when_the_database_is_down(client, monkeypatch):
    from prep.lib import views

    monkeypatch.setattr(views, "_database_status", lambda: "down")
    monkeypatch.setattr(views, "_outbox_waiting", lambda: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"]["status"] == "down"
