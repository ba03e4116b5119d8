"""A real Celery worker runs the optimisation while the page shows its progress."""

import re
import time

import pytest

from prep.flashcards.memory import history_seed
from prep.memory import synthetic
from prep.memory.models import Optimisation

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_optimises_and_the_page_follows_it_to_completion(celery_worker, client, alice):
    history_seed(alice, synthetic.histories(20000))
    client.force_login(alice)
    response = client.post("/memory/flashcards/optimise/")
    assert response.status_code == 302
    run = Optimisation.objects.get(user=alice)
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = client.get(f"/memory/runs/{run.pk}/").content.decode()
        percent = int(re.search(r'data-testid="run-progress">(\d+)%', page).group(1))
        if not seen or seen[-1] != percent:
            seen.append(percent)
        if percent == 100:
            break
        assert 'hx-trigger="every 1s"' in page  # the page keeps polling while it runs
        time.sleep(0.05)
    assert seen[-1] == 100
    assert seen == sorted(seen)  # progress only moves forward
    run.refresh_from_db()
    assert run.status == "done"
    assert 'hx-trigger="every 1s"' not in page  # finished: the page stops polling
    assert "Adopt these parameters" in page
    assert run.logloss_candidate < run.logloss_current
