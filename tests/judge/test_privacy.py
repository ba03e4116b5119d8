"""Submissions, hints, attempts and re-solves are in the data export and go with the
account (no sandbox needed: the rows are written directly)."""

import datetime as dt

import pytest

from prep.accounts.data import account_delete, account_export
from prep.judge.models import HintView, MLAttempt, MLProblem, MLReviewState, Submission

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def history(alice):
    problem = MLProblem.objects.get(slug="softmax-stable")
    Submission.objects.create(
        user=alice,
        problem=problem,
        code="def softmax(x): ...",
        created_at=NOON,
        status="done",
        verdict="wrong_answer",
    )
    HintView.objects.create(user=alice, problem=problem, index=0, viewed_at=NOON)
    MLAttempt.objects.create(
        user=alice,
        problem=problem,
        day=NOON.date(),
        outcome="failed",
        submissions=1,
        first_at=NOON,
        last_at=NOON,
    )
    MLReviewState.objects.create(
        user=alice, problem=problem, due=NOON + dt.timedelta(days=1), last_outcome="failed"
    )
    return alice


def test_the_export_holds_every_judge_row(history):
    data = account_export(user=history)["data"]
    for label in ("judge.submission", "judge.hintview", "judge.mlattempt", "judge.mlreviewstate"):
        assert len(data[label]) == 1, label
    assert data["judge.submission"][0]["code"] == "def softmax(x): ..."


def test_deleting_the_account_deletes_them(history, bob):
    account_delete(user=history)
    for model in (Submission, HintView, MLAttempt, MLReviewState):
        assert not model.objects.exists()
    assert MLProblem.objects.filter(slug="softmax-stable").exists()  # the catalogue stays
