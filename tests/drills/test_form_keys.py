"""Issue 23: a double click on "Log attempt" or "Add problem" creates one row."""

import uuid

import pytest
from django.urls import reverse

from prep.drills.models import Attempt, Pattern, Problem

pytestmark = pytest.mark.django_db


def test_the_same_attempt_form_sent_twice_logs_one_attempt(alice_client, alice, catalogue):
    problem = Problem.objects.filter(owner__isnull=True).first()
    url = reverse("drills:attempt_create", args=[problem.pk])
    form = {
        "minutes": 25,
        "outcome": "clean",
        "confidence": 3,
        "language": "python",
        "form_key": uuid.uuid4().hex,
    }
    for _ in range(2):
        response = alice_client.post(url, form)
        assert response.status_code == 302
    assert Attempt.objects.filter(user=alice, problem=problem).count() == 1
    alice_client.post(url, {**form, "form_key": uuid.uuid4().hex})  # a new form: a new attempt
    assert Attempt.objects.filter(user=alice, problem=problem).count() == 2


def test_the_same_problem_form_sent_twice_adds_one_problem(alice_client, alice, catalogue):
    form = {
        "title": "My own problem",
        "url": "https://leetcode.com/problems/my-own-problem/",
        "difficulty": "easy",
        "patterns": [Pattern.objects.get(slug="graphs").pk],
        "form_key": uuid.uuid4().hex,
    }
    for _ in range(2):
        response = alice_client.post(reverse("drills:problem_create"), form)
        assert response.status_code == 302
    assert Problem.objects.filter(owner=alice, title="My own problem").count() == 1
