"""The story builder, the question bank and company research."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from prep.accounts.data import account_delete, account_export
from prep.behavioral.models import Story

pytestmark = pytest.mark.django_db

STORIES = reverse("behavioral:stories")


def write(client, title, competencies):
    return client.post(
        STORIES,
        {
            "title": title,
            "situation": "Our ranking model's CTR fell 4% after a deploy.",
            "task": "Find out why within a day.",
            "action": "I compared feature distributions and found a stale join.",
            "result": "Fixed in 6 hours; added a freshness alert that caught two more.",
            "competencies": competencies,
        },
    )


def test_two_stories_leave_the_other_competencies_uncovered(alice_client, alice):
    assert write(alice_client, "Stale features", ["ml_judgement", "ownership"]).status_code == 302
    assert write(alice_client, "The metric argument", ["conflict"]).status_code == 302
    page = alice_client.get(STORIES).content.decode()
    assert "Stale features" in page and "The metric argument" in page
    uncovered = page.split('data-testid="uncovered"')[1].split("</ul>")[0]
    assert "ML judgement" not in uncovered and "Ownership" not in uncovered
    assert "Conflict and disagreement" not in uncovered
    assert "Failure and learning" in uncovered and "Ambiguity" in uncovered
    assert Story.objects.get(title="Stale features").competencies == ["ml_judgement", "ownership"]


def test_a_story_without_competencies_or_title_re_renders_with_errors(alice_client):
    response = alice_client.post(STORIES, {"title": "", "competencies": []})
    assert response.status_code == 400
    assert Story.objects.count() == 0
    response = alice_client.post(STORIES, {"title": "x", "competencies": ["charisma"]})
    assert response.status_code == 400


def test_another_users_story_is_a_404(client, alice, charlie):
    story = Story.objects.create(user=alice, title="Mine", competencies=["impact"])
    client.force_login(charlie)
    for name in ("behavioral:story_edit",):
        assert client.get(reverse(name, args=[story.pk])).status_code == 404
    for name in ("behavioral:story_edit", "behavioral:story_delete", "behavioral:story_rehearse"):
        assert client.post(reverse(name, args=[story.pk]), {"title": "x"}).status_code == 404
    story.refresh_from_db()
    assert story.title == "Mine" and story.rehearsals == 0


def test_rehearse_edit_and_delete_own_story(alice_client, alice):
    story = Story.objects.create(user=alice, title="Mine", competencies=["impact"])
    alice_client.post(reverse("behavioral:story_rehearse", args=[story.pk]))
    story.refresh_from_db()
    assert story.rehearsals == 1 and story.last_rehearsed_at is not None
    response = alice_client.post(
        reverse("behavioral:story_edit", args=[story.pk]),
        {"title": "Renamed", "competencies": ["impact", "growth"]},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Renamed" and story.competencies == ["growth", "impact"]
    alice_client.post(reverse("behavioral:story_delete", args=[story.pk]))
    assert not Story.objects.filter(pk=story.pk).exists()


def test_stories_are_in_the_export_and_go_with_the_account(alice, charlie):
    Story.objects.create(user=alice, title="Alice's", competencies=["impact"])
    Story.objects.create(user=charlie, title="Charlie's", competencies=["impact"])
    exported = json.dumps(account_export(user=alice), default=str)
    assert "Alice's" in exported and "Charlie's" not in exported
    account_delete(user=alice)
    assert list(Story.objects.values_list("title", flat=True)) == ["Charlie's"]


def test_the_question_bank_lists_every_competency(alice_client):
    page = alice_client.get(reverse("behavioral:questions")).content.decode()
    assert "ML judgement" in page and "a model that failed in production" in page


def test_company_research_shows_target_profiles_and_unknown_names(alice_client, alice):
    alice.profile.target_companies = "facebook, Google DeepMind, Acme Robotics"
    alice.profile.save()
    page = alice_client.get(reverse("behavioral:companies")).content.decode()
    assert reverse("behavioral:company_detail", args=["meta"]) in page
    assert reverse("behavioral:company_detail", args=["google-deepmind"]) in page
    assert "Acme Robotics — no profile yet" in page
    detail = alice_client.get(reverse("behavioral:company_detail", args=["amazon"]))
    text = detail.content.decode()
    assert "Leadership Principles" in text and "https://www.amazon.jobs/" in text
    assert "as of" in text
    assert alice_client.get(reverse("behavioral:company_detail", args=["acme"])).status_code == 404
