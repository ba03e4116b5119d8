"""Every page runs the same number of queries at 10 and at 60 days of history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboard.test_views_today import user_with_history
from tests.e2e.test_csp_walk import parameterless_get_pages

pytestmark = pytest.mark.django_db


def page_counts(client, user) -> dict[str, int]:
    client.force_login(user)
    counts = {}
    for path in parameterless_get_pages():
        first = client.get(path)  # warm: a first read may stamp the plan or sync the load
        if first.status_code != 200 or "text/html" not in first.get("Content-Type", ""):
            continue
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        counts[path] = len(ctx.captured_queries)
    return counts


def test_every_page_has_the_same_query_count_at_10_and_60_days(client):
    small = page_counts(client, user_with_history(10))
    large = page_counts(client, user_with_history(60))
    assert len(small) >= 25
    grew = {
        path: (small[path], large.get(path)) for path in small if small[path] != large.get(path)
    }
    assert not grew, f"query counts that depend on the amount of history: {grew}"
