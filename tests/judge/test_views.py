import pytest

from prep.judge import bank
from prep.judge.models import MLProblem, Submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_sandbox")]


def test_problem_pages_render(alice_client):
    assert alice_client.get("/ml-coding/").status_code == 200
    page = alice_client.get("/ml-coding/problems/softmax-stable/")
    assert page.status_code == 200
    assert b"Numerically stable softmax" in page.content and b"data-judge-editor" in page.content


def test_run_shows_the_first_failing_example_with_expected_and_actual(
    alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            "/ml-coding/problems/softmax-stable/submit/",
            {"code": "import numpy as np\ndef softmax(x):\n    return x\n", "action": "run"},
            HTTP_HX_REQUEST="true",
        )
    assert 'data-status="queued"' in response.content.decode()  # the page then polls
    sub = Submission.objects.get()
    body = alice_client.get(f"/ml-coding/submissions/{sub.pk}/").content.decode()
    assert 'data-verdict="wrong_answer"' in body
    assert "Wrong answer on example 1." in body and 'data-testid="expected"' in body


def test_another_users_submission_is_a_404(alice, bob, client):
    sub = Submission.objects.create(
        user=alice, problem=MLProblem.objects.first(), code="x", created_at="2026-03-02T12:00Z"
    )
    client.force_login(bob)
    assert client.get(f"/ml-coding/submissions/{sub.pk}/").status_code == 404


def test_a_refused_submission_says_why(alice_client):
    response = alice_client.post(
        "/ml-coding/problems/softmax-stable/submit/",
        {"code": "   ", "action": "submit"},
        HTTP_HX_REQUEST="true",
    )
    assert "There is no code to run." in response.content.decode()


def test_bank_reference_is_there_for_the_journey():
    assert bank.by_slug("softmax-stable").reference
