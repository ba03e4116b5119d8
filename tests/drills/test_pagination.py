"""Issue 23: the problem list comes a page at a time and the page links keep the filters."""

import pytest
from django.urls import reverse

from prep.drills.views import PROBLEMS_PER_PAGE

pytestmark = pytest.mark.django_db


def test_the_problem_list_pages_and_keeps_the_filters(alice_client, catalogue):
    url = reverse("drills:problem_list")
    first = alice_client.get(url)
    assert first.context["total"] > PROBLEMS_PER_PAGE
    assert len(first.context["problems"]) == PROBLEMS_PER_PAGE
    assert 'href="?page=2"' in first.content.decode()

    medium = alice_client.get(url, {"difficulty": "medium"})
    total = medium.context["total"]
    assert total > PROBLEMS_PER_PAGE
    assert 'href="?difficulty=medium&amp;page=2"' in medium.content.decode()
    second = alice_client.get(url, {"difficulty": "medium", "page": 2})
    shown = second.context["problems"]
    assert shown and all(p.difficulty == "medium" for p in shown)
    assert {p.pk for p in shown}.isdisjoint({p.pk for p in medium.context["problems"]})


def test_a_page_past_the_end_shows_the_last_page(alice_client, catalogue):
    response = alice_client.get(reverse("drills:problem_list"), {"page": 999})
    page = response.context["page"]
    assert response.status_code == 200 and page.number == page.paginator.num_pages
