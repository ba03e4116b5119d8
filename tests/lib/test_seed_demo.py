"""``manage.py seed_demo --users N --days D``: the bulk path writes what the services would."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from curriculum.models import ModuleProgress, Plan, PlanItem, ProgressEvent
from prep.capture.models import CaptureSession
from prep.drills.models import Attempt
from prep.flashcards.models import Card, CardState, ReviewLog
from prep.mocks.models import DimensionScore, RubricFeedback, SoloMock
from prep.transcripts.models import PhaseMark, Pin, Segment, Transcript

pytestmark = pytest.mark.django_db(transaction=True)

USERS, DAYS, TRANSCRIPTS = 5, 10, 4


def _seed(**kw) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo",
        users=kw.get("users", USERS),
        days=kw.get("days", DAYS),
        transcripts=TRANSCRIPTS,
        segments="20-40",
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def seeded(catalogue):
    return _seed()


def test_rows_per_table(seeded):
    User = get_user_model()
    users = list(User.objects.filter(email__endswith="@prep.local").order_by("pk"))
    assert [u.email for u in users] == [f"seed{n}@prep.local" for n in range(1, USERS + 1)]
    assert {u.profile.role for u in users} == {"research", "mle", "applied"}
    assert all(u.profile.is_onboarded for u in users)
    assert all(u.emailaddress_set.get().verified for u in users)

    cards = Card.objects.filter(owner=None).count()
    assert CardState.objects.count() == USERS * cards
    reviews = ReviewLog.objects.count()
    # About 20 reviews on each of ~85 % of the days.
    assert USERS * DAYS * 0.5 * 15 < reviews < USERS * DAYS * 30
    attempts = Attempt.objects.count()
    assert USERS * DAYS * 0.5 < attempts <= USERS * DAYS
    assert SoloMock.objects.filter(status="completed").count() == 2 * USERS
    assert RubricFeedback.objects.count() == 2 * USERS
    assert DimensionScore.objects.count() >= 2 * USERS * 4

    # One progress report per review, attempt, first solve and mock, with the services' keys.
    assert ProgressEvent.objects.filter(kind="card_reviewed").count() == reviews
    assert ProgressEvent.objects.filter(kind="drill_attempted").count() == attempts
    assert ProgressEvent.objects.filter(kind="mock_completed").count() == 2 * USERS
    log = ReviewLog.objects.order_by("pk").first()
    event = ProgressEvent.objects.get(key=f"flashcards:review:{log.pk}")
    assert event.user_id == log.user_id and event.occurred_at == log.reviewed_at
    assert "deck:" + log.deck.slug in event.tags
    assert ModuleProgress.objects.filter(complete=True).exists()

    assert Plan.objects.count() == USERS
    assert PlanItem.objects.filter(status="pending").exists()
    assert PlanItem.objects.filter(status="done", auto_done=True).exists()

    assert Transcript.objects.filter(status="ready", source="captured").count() == TRANSCRIPTS
    assert CaptureSession.objects.filter(status="ended").count() == TRANSCRIPTS
    assert Pin.objects.count() == 4 * TRANSCRIPTS
    assert PhaseMark.objects.count() == 7 * TRANSCRIPTS
    for t in Transcript.objects.all():
        segments = Segment.objects.filter(transcript=t)
        assert 20 <= segments.count() == t.segment_count <= 40
        assert set(segments.values_list("user_id", flat=True)) == {t.user_id}
        assert t.contiguous_seq == t.segment_count - 1
    assert "Log in as seed1@prep.local / prep-demo-password" in seeded


def test_card_states_match_their_logs(seeded):
    """The final state of a reviewed card is the 'after' of its last log."""
    for state in CardState.objects.filter(reps__gt=0)[:50]:
        last = state.logs.order_by("-seq").first()
        assert last.seq == state.reps - 1
        assert (state.state, state.due) == (last.state, last.due)


def test_second_run_refuses(seeded):
    before = ReviewLog.objects.count()
    with pytest.raises(CommandError, match="already seeded"):
        _seed()
    assert ReviewLog.objects.count() == before
    assert get_user_model().objects.filter(email__startswith="seed").count() == USERS


def test_seeded_user_can_log_in_and_use_the_site(seeded, client):
    response = client.post(
        "/accounts/login/",
        {"login": "seed1@prep.local", "password": "prep-demo-password"},
    )
    assert response.status_code == 302
    for url in ("/", "/plan/", "/flashcards/", "/transcripts/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    # New rows made through the services after a bulk seed get fresh ids (sequences reset).
    user = get_user_model().objects.get(email="seed1@prep.local")
    new = get_user_model().objects.create_user(username="after", email="after@prep.local")
    assert new.pk > user.pk


@pytest.mark.postgres
def test_segments_are_searchable_on_postgresql(seeded):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("this test needs DATABASE_URL to point at PostgreSQL")
    assert not Segment.objects.filter(search__isnull=True).exists()
    seg = Segment.objects.first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search = to_tsvector('english', text) FROM transcripts_segment WHERE id = %s",
            [seg.pk],
        )
        assert cursor.fetchone()[0]


def test_small_demo_still_works(catalogue):
    out = io.StringIO()
    call_command("seed_demo", small=True, stdout=out)
    lines = out.getvalue().strip().splitlines()
    # The login is the last line, and the seeded users' emails are not printed.
    assert lines[-1].endswith("as demo@prep.local / prep-demo-password"), lines[-1]
    assert not any("Subject:" in line for line in lines)
    call_command("seed_demo", small=True, stdout=out)  # idempotent
    assert get_user_model().objects.filter(email="demo@prep.local").count() == 1
