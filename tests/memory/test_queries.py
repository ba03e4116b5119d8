"""The memory page's queries are pinned, at two history sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prep.flashcards.memory import history_seed
from prep.memory import services, synthetic
from tests.budget import SESSION

pytestmark = pytest.mark.django_db

# Session, user with profile and the verified-email check (one query); then for each kind
# (flashcards, re-solves): its profile, its usable review count, the latest run, versions;
# re-solves count the usable reviews of both their sources (drills, judged ML problems).
MEMORY_PAGE = SESSION + 1 + 2 * 4 + 1


@pytest.mark.parametrize("reviews", [800, 4000])
def test_memory_page(alice, alice_client, reviews, django_capture_on_commit_callbacks):
    history_seed(alice, synthetic.histories(reviews))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.optimisation_start(user=alice, kind="flashcards")
    run.refresh_from_db()
    if run.better:
        services.parameters_adopt(user=alice, run=run)
    with CaptureQueriesContext(connection) as ctx:
        response = alice_client.get("/memory/")
    assert response.status_code == 200
    assert len(ctx.captured_queries) == MEMORY_PAGE
