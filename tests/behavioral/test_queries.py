"""The story builder's pages run the same number of queries whatever the user has written
(the user with its profile, the layout's one read, and the page's own: one for stories)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prep.behavioral.models import Story
from tests.budget import SESSION

pytestmark = pytest.mark.django_db

PAGES = {
    "stories": (reverse("behavioral:stories"), SESSION + 2),
    "questions": (reverse("behavioral:questions"), SESSION + 1),
    "companies": (reverse("behavioral:companies"), SESSION + 1),
    "company_detail": (reverse("behavioral:company_detail", args=["google"]), SESSION + 1),
}


@pytest.mark.parametrize("n", [1, 15])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow(alice, client, django_assert_num_queries, page, n):
    for i in range(n):
        Story.objects.create(user=alice, title=f"Story {i}", competencies=["impact", "conflict"])
    client.force_login(alice)
    url, expected = PAGES[page]
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
