import pytest

from tests.conftest import unavailable


@pytest.fixture(scope="session")
def real_sandbox():
    """The real bubblewrap sandbox; under CI=true its absence fails the test."""
    from prep.judge import sandbox

    reason = sandbox.probe()
    if reason:
        unavailable(f"the judge sandbox is not available: {reason}")


@pytest.fixture
def judge_worker(transactional_db, catalogue, real_sandbox):
    """A real Celery worker on Redis consuming only the judge queue (one per xdist worker)."""
    import os

    from tests.conftest import unavailable

    if not os.environ.get("REDIS_URL"):
        unavailable("a real Celery worker needs Redis (set REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    from prep.celery import app

    queue = f"judge-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    saved = (app.conf.task_always_eager, app.conf.task_routes)
    app.conf.task_always_eager = False
    app.conf.task_routes = {"prep.judge.tasks.*": {"queue": queue}}
    _forget_routes(app)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_routes = saved
        _forget_routes(app)


def _forget_routes(app):
    """Celery caches its routing table and router on first use; rebuild them after a change
    (another test may have sent a task, and so built them, earlier in this process)."""
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
