"""Judge tasks go to their own queue and a real worker on it judges them in the sandbox."""

import time

import pytest

from prep.judge import bank, services
from prep.judge.models import MLProblem, Submission


def test_judge_tasks_are_routed_to_the_judge_queue(settings):
    from celery.app.routes import Router, prepare

    from prep.celery import app

    router = Router(prepare(settings.CELERY_TASK_ROUTES), app.amqp.queues, True, app=app)
    route = router.route({}, "prep.judge.tasks.judge_submission")
    assert route["queue"].name == settings.JUDGE_QUEUE == "judge"
    other = router.route({}, "prep.booking.tasks.reminders_sweep")
    assert other["queue"].name == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_judge_worker_takes_queued_submissions_to_a_verdict(judge_worker, alice):
    problem = MLProblem.objects.get(slug="log-sum-exp")
    good = services.submission_create(
        user=alice, problem=problem, code=bank.by_slug("log-sum-exp").reference, is_submit=True
    )
    bad = services.submission_create(
        user=alice,
        problem=problem,
        code="def log_softmax(x):\n    while True:\n        pass\n",
        is_submit=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if Submission.objects.filter(pk__in=[good.pk, bad.pk], status="done").count() == 2:
            break
        time.sleep(0.3)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.verdict, bad.verdict) == ("accepted", "time_limit")
    assert good.started_at and good.finished_at and good.result["total"] > 2
