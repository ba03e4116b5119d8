import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command

from curriculum.models import ProgressEvent
from prep.judge import bank, services
from prep.judge.models import MLAttempt, MLProblem, MLReviewState, Submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_sandbox")]
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))


def submit(user, problem, code, *, at, is_submit=True, capture):
    with capture(execute=True):
        sub = services.submission_create(
            user=user, problem=problem, code=code, is_submit=is_submit, now=at
        )
    sub.refresh_from_db()
    return sub


@pytest.fixture
def softmax():
    return MLProblem.objects.get(slug="softmax-stable")


def test_a_submission_is_judged_and_stored(alice, softmax, django_capture_on_commit_callbacks):
    sub = submit(
        alice,
        softmax,
        bank.by_slug("softmax-stable").reference,
        at=NOON,
        capture=django_capture_on_commit_callbacks,
    )
    assert sub.status == "done" and sub.verdict == "accepted"
    assert sub.result["passed"] == sub.result["total"] > 2
    assert sub.finished_at and sub.wall_ms > 0


def test_a_run_checks_examples_only_and_is_not_an_attempt(
    alice, django_capture_on_commit_callbacks
):
    knn = MLProblem.objects.get(slug="knn-classifier")
    wrong = bank.by_slug("knn-classifier").wrong  # right on the examples, wrong on ties
    sub = submit(
        alice, knn, wrong, at=NOON, is_submit=False, capture=django_capture_on_commit_callbacks
    )
    assert sub.verdict == "accepted"
    assert sub.result["total"] == 1
    assert not MLAttempt.objects.exists()
    sub = submit(alice, knn, wrong, at=NOON, capture=django_capture_on_commit_callbacks)
    assert sub.verdict == "wrong_answer" and sub.message.startswith("Wrong answer on hidden test")


def test_failed_then_accepted_is_a_solve_with_help_and_schedules_a_resolve(
    alice, softmax, django_capture_on_commit_callbacks
):
    problem = bank.by_slug("softmax-stable")
    first = submit(
        alice, softmax, problem.wrong, at=NOON, capture=django_capture_on_commit_callbacks
    )
    assert first.verdict == "wrong_answer"
    assert first.result["failed"]["number"] == 2  # the overflowing example, shown
    attempt = MLAttempt.objects.get()
    assert attempt.outcome == "failed"
    submit(
        alice,
        softmax,
        problem.reference,
        at=NOON + dt.timedelta(minutes=5),
        capture=django_capture_on_commit_callbacks,
    )
    attempt.refresh_from_db()
    assert attempt.outcome == "hints" and attempt.submissions == 2
    review = MLReviewState.objects.get(user=alice, problem=softmax)
    assert review.due.date() > NOON.date()
    kinds = sorted(ProgressEvent.objects.filter(user=alice).values_list("kind", flat=True))
    assert kinds == ["ml_problem_attempted", "ml_problem_solved"]
    assert ProgressEvent.objects.get(kind="ml_problem_solved").area == "ml_coding"


def test_a_clean_solve_has_no_resolve_but_a_hint_makes_it_with_help(
    alice, bob, softmax, django_capture_on_commit_callbacks
):
    reference = bank.by_slug("softmax-stable").reference
    submit(alice, softmax, reference, at=NOON, capture=django_capture_on_commit_callbacks)
    assert MLAttempt.objects.get(user=alice).outcome == "clean"
    assert not MLReviewState.objects.filter(user=alice).exists()
    services.hint_reveal(user=bob, problem=softmax, index=0, now=NOON)
    submit(
        bob,
        softmax,
        reference,
        at=NOON + dt.timedelta(minutes=1),
        capture=django_capture_on_commit_callbacks,
    )
    assert MLAttempt.objects.get(user=bob).outcome == "hints"


def test_size_and_rate_limits_refuse_with_a_clear_message(alice, softmax, settings):
    with pytest.raises(services.JudgeError, match="over 64 KB"):
        services.submission_create(
            user=alice, problem=softmax, code="x" * 70_000, is_submit=True, now=NOON
        )
    settings.JUDGE_RATE_PER_MINUTE = 2
    for i in range(2):
        services.submission_create(
            user=alice,
            problem=softmax,
            code="pass",
            is_submit=False,
            now=NOON + dt.timedelta(seconds=i),
        )
    with pytest.raises(services.JudgeError, match="2 times a minute; try again in"):
        services.submission_create(
            user=alice,
            problem=softmax,
            code="pass",
            is_submit=False,
            now=NOON + dt.timedelta(seconds=5),
        )
    services.submission_create(
        user=alice,
        problem=softmax,
        code="pass",
        is_submit=False,
        now=NOON + dt.timedelta(seconds=61),
    )


def test_judging_twice_does_nothing_the_second_time(alice, softmax):
    sub = Submission.objects.create(
        user=alice, problem=softmax, code="def softmax(x):\n    return x\n", created_at=NOON
    )
    assert services.submission_judge(submission_id=sub.pk).verdict == "wrong_answer"
    assert services.submission_judge(submission_id=sub.pk) is None


def test_no_sandbox_means_a_judge_error_and_nothing_runs(alice, softmax, monkeypatch):
    from prep.judge import sandbox

    monkeypatch.setattr(sandbox, "probe", lambda: "bubblewrap (bwrap) is not installed")
    ran = []
    monkeypatch.setattr(sandbox, "run", lambda *a, **k: ran.append(a))
    sub = Submission.objects.create(
        user=alice, problem=softmax, code="def softmax(x):\n    return x\n", created_at=NOON
    )
    done = services.submission_judge(submission_id=sub.pk)
    assert done.verdict == "judge_error" and "no sandbox" in done.message
    assert ran == []
    assert not MLAttempt.objects.exists()  # a judge error is not the user's attempt


def test_load_content_stores_the_bank(db):
    call_command("load_content", verbosity=0)
    assert MLProblem.objects.filter(kind="python").count() == sum(
        1 for p in bank.problems() if p.kind == "python"
    )
    assert MLProblem.objects.filter(kind="sql").exists()


def test_submissions_a_lost_worker_left_behind_are_judged_again(
    alice, softmax, django_capture_on_commit_callbacks
):
    stuck = Submission.objects.create(
        user=alice,
        problem=softmax,
        code=bank.by_slug("softmax-stable").reference,
        created_at=NOON,
        status="running",
        started_at=NOON,
    )
    fresh = Submission.objects.create(
        user=alice,
        problem=softmax,
        code="x",
        created_at=NOON + dt.timedelta(minutes=9),
        status="running",
        started_at=NOON + dt.timedelta(minutes=9),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submissions_requeue_stuck(now=NOON + dt.timedelta(minutes=10)) == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == "done" and stuck.verdict == "accepted"
    assert fresh.status == "running"
