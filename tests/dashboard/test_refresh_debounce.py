"""With a broker, a burst of progress changes refreshes the user's figures once, a little
later; without one (tasks in-process), every change refreshes at once."""

import secrets

import pytest

from prep.celery import app
from prep.dashboard import tasks


@pytest.fixture
def queued(monkeypatch):
    """What would reach the broker: (args, countdown) per queued refresh."""
    sent = []
    monkeypatch.setattr(
        tasks.dashboard_refresh,
        "apply_async",
        lambda args, countdown: sent.append((args, countdown)),
    )
    return sent


@pytest.fixture
def with_broker():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def _user_id() -> int:
    # The cache may be one Redis shared by test processes whose databases reuse ids.
    return 10**9 + secrets.randbelow(10**9)


def test_a_burst_queues_one_refresh_after_the_delay(with_broker, queued):
    user_id = _user_id()
    assert tasks.dashboard_refresh_soon(user_id) is True
    assert tasks.dashboard_refresh_soon(user_id) is False
    assert tasks.dashboard_refresh_soon(user_id) is False
    assert queued == [((user_id,), tasks.REFRESH_DELAY_SECONDS)]
    other = user_id + 1
    assert tasks.dashboard_refresh_soon(other) is True  # per user
    assert len(queued) == 2


def test_a_change_after_the_refresh_started_queues_the_next(with_broker, queued, monkeypatch):
    user_id = _user_id()
    ran = []
    monkeypatch.setattr(
        tasks.services, "dashboard_refresh", lambda *, user_id: ran.append(user_id) or True
    )
    tasks.dashboard_refresh_soon(user_id)
    tasks.dashboard_refresh.run(user_id)  # the worker takes it: the mark is cleared first
    assert ran == [user_id]
    assert tasks.dashboard_refresh_soon(user_id) is True
    assert len(queued) == 2


def test_without_a_broker_every_change_refreshes_now(monkeypatch):
    assert app.conf.task_always_eager  # as the suite runs tasks unless a test asks for a worker
    ran = []
    monkeypatch.setattr(
        tasks.services, "dashboard_refresh", lambda *, user_id: ran.append(user_id) or True
    )
    user_id = _user_id()
    tasks.dashboard_refresh_soon(user_id)
    tasks.dashboard_refresh_soon(user_id)
    assert ran == [user_id, user_id]
