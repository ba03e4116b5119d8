"""Every mocks page runs the same number of queries whatever the user's history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prep.mocks import services
from tests.budget import SESSION
from tests.mocks import factories

pytestmark = pytest.mark.django_db


def build(user, bob, n: int):
    """n completed mocks (of two kinds), n peer feedbacks and one running mock with notes."""
    start = timezone.now() - dt.timedelta(days=n + 1)
    last = None
    for i in range(n):
        kind = "ml_system_design" if i % 2 == 0 else "coding"
        last = factories.completed_mock(
            user, kind=kind, value=1 + i % 4, at=start + dt.timedelta(days=i)
        )
        services.feedback_submit(
            author=bob,
            subject=user,
            kind="ml_system_design",
            scores=factories.full_scores(value=2),
            context_key=f"booking:{i}",
        )
    running = services.solo_mock_start(user=user, prompt=factories.prompt())
    for phase in running.phases:
        services.phase_note_save(mock=running, phase=phase["slug"], text="note")
    return last, running


PAGES = {
    # name: (url builder, expected queries)
    "prompt_list": (lambda last, running: reverse("mocks:prompt_list"), SESSION + 5),
    "prompt_list_kind": (
        lambda last, running: reverse("mocks:prompt_list") + "?kind=ml_system_design",
        SESSION + 5,
    ),
    "prompt_detail": (
        lambda last, running: reverse("mocks:prompt_detail", args=[running.prompt.slug]),
        SESSION + 5,
    ),
    "solo_running": (
        lambda last, running: reverse("mocks:solo_detail", args=[running.pk]),
        SESSION + 3,
    ),
    "solo_report": (
        lambda last, running: reverse("mocks:solo_detail", args=[last.pk]),
        SESSION + 8,
    ),
    "solo_score": (lambda last, running: reverse("mocks:solo_score", args=[last.pk]), SESSION + 6),
    "history": (
        lambda last, running: reverse("mocks:history") + "?kind=ml_system_design",
        SESSION + 5,
    ),
    "history_default": (lambda last, running: reverse("mocks:history"), SESSION + 5),
}


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize("page_name", sorted(PAGES))
def test_query_count_does_not_grow(alice, bob, client, django_assert_num_queries, page_name, n):
    last, running = build(alice, bob, n)
    client.force_login(alice)
    url_for, expected = PAGES[page_name]
    url = url_for(last, running)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
