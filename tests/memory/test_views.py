"""The memory page: scoped to the user, refusals as messages, never a 500."""

import pytest

from prep.memory.models import Optimisation

pytestmark = pytest.mark.django_db


def test_the_page_says_how_many_reviews_are_missing(alice_client):
    page = alice_client.get("/memory/").content.decode()
    assert "needs at least 400 reviews (400 to go)" in page


def test_optimising_without_enough_reviews_is_a_message_not_a_run(alice_client):
    response = alice_client.post("/memory/flashcards/optimise/", follow=True)
    assert response.status_code == 200
    assert "the optimiser needs at least 400" in response.content.decode()
    assert not Optimisation.objects.exists()


def test_an_unknown_kind_is_a_404(alice_client):
    assert alice_client.post("/memory/cats/optimise/").status_code == 404
    assert alice_client.get("/memory/cats/reschedule/").status_code == 404


def test_another_users_run_is_a_404(alice_client, charlie):
    from django.utils import timezone

    run = Optimisation.objects.create(user=charlie, kind="flashcards", created_at=timezone.now())
    assert alice_client.get(f"/memory/runs/{run.pk}/").status_code == 404
    assert alice_client.post(f"/memory/runs/{run.pk}/adopt/").status_code == 404


def test_going_back_to_a_version_that_does_not_exist_is_a_message(alice_client):
    response = alice_client.post("/memory/flashcards/restore/7/", follow=True)
    assert "No such version." in response.content.decode()


def test_the_workload_preview_follows_the_retention_typed(alice_client):
    page = alice_client.get("/flashcards/settings/workload/?desired_retention=0.8").content.decode()
    assert 'data-testid="workload-retention">0.80<' in page
    # Out of range or not a number: clamped, or the saved value; never a 500.
    assert alice_client.get("/flashcards/settings/workload/?desired_retention=5").status_code == 200
    assert alice_client.get("/flashcards/settings/workload/?desired_retention=x").status_code == 200
