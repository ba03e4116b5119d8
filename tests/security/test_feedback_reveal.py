"""The feedback reveal rule, checked at every place feedback or its scores are shown.

Alice (host) gave Bob (guest) feedback after their mock; Bob has not given his. Until he
does (or the reveal delay passes), Bob sees nothing of it anywhere; once he does, he sees
it everywhere. Charlie never sees it. The rule has one owner
(``prep.mocks.models.feedback_visible_q``); this test enumerates its readers.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from prep.booking import services as booking_services
from prep.dashboard.readiness import _mock_scores
from tests.transcripts.factories import booking as make_booking
from tests.transcripts.factories import transcript as make_transcript

pytestmark = pytest.mark.django_db

DIMS = ("framing", "metrics", "data", "model", "serving", "monitoring", "iteration")
SECRET = "Alice-only-comment-about-framing"


@pytest.fixture
def setting(alice, bob):
    booking = make_booking(alice, bob)
    now = timezone.now()
    feedback = booking_services.booking_feedback_submit(
        booking=booking,
        author=alice,
        scores={d: 1 for d in DIMS},
        comments={"framing": SECRET},
        now=now,
    )
    transcript = make_transcript(bob, booking_obj=booking, n=8)
    return booking, feedback, transcript


def places(client, booking, feedback, transcript) -> dict[str, str]:
    """Every place that shows feedback or a score derived from it, as the reader sees it."""
    out = {}
    response = client.get(reverse("mocks:feedback_detail", args=[feedback.pk]))
    out["feedback page"] = response.content.decode() if response.status_code == 200 else ""
    out["history"] = client.get(
        reverse("mocks:history") + "?kind=ml_system_design"
    ).content.decode()
    out["transcript"] = client.get(
        reverse("transcripts:detail", args=[transcript.pk])
    ).content.decode()
    out["dashboard"] = client.get(reverse("dashboard:today")).content.decode()
    out["export"] = client.get(reverse("accounts:data_export")).content.decode()
    out["booking page"] = client.get(reverse("booking:detail", args=[booking.pk])).content.decode()
    return out


def shows(place: str, html: str, feedback) -> bool:
    """Whether ``html`` of ``place`` shows Alice's feedback (or a score made from it)."""
    if place == "history":
        return reverse("mocks:feedback_detail", args=[feedback.pk]) in html
    if place == "dashboard":
        return "Scored 1.0 of 4 on framing" in html
    if place == "export":
        rows = json.loads(html)["data"].get("mocks.rubricfeedback", [])
        return any(r["id"] == feedback.pk for r in rows) or SECRET in html
    return SECRET in html


def test_the_waiting_peer_sees_it_nowhere_until_they_give_theirs(client, alice, bob, setting):
    booking, feedback, transcript = setting
    client.force_login(bob)
    before = places(client, booking, feedback, transcript)
    leaks = [place for place, html in before.items() if shows(place, html, feedback)]
    assert leaks == []
    assert client.get(reverse("mocks:feedback_detail", args=[feedback.pk])).status_code == 404
    assert "ml_system_design" not in _mock_scores(bob, timezone.now())  # readiness

    booking_services.booking_feedback_submit(
        booking=booking, author=bob, scores={d: 3 for d in DIMS}, now=timezone.now()
    )
    after = places(client, booking, feedback, transcript)
    hidden = [place for place, html in after.items() if not shows(place, html, feedback)]
    assert hidden == []
    assert "ml_system_design" in _mock_scores(bob, timezone.now())


def test_the_reveal_delay_opens_it_without_theirs(bob, setting):
    booking, feedback, _ = setting
    from prep.mocks.selectors import feedback_visible, scores_received

    assert feedback.reveal_at == booking.ends_at + booking_services.FEEDBACK_REVEAL_AFTER
    later = feedback.reveal_at + dt.timedelta(seconds=1)
    assert not feedback_visible(user=bob).filter(pk=feedback.pk).exists()
    assert feedback_visible(user=bob, now=later).filter(pk=feedback.pk).exists()
    assert scores_received(user=bob, now=later).count() == len(DIMS)


def test_the_author_always_and_a_stranger_never(client, alice, charlie, setting):
    booking, feedback, transcript = setting
    client.force_login(alice)
    assert (
        SECRET in client.get(reverse("mocks:feedback_detail", args=[feedback.pk])).content.decode()
    )
    assert SECRET in client.get(reverse("accounts:data_export")).content.decode()
    client.force_login(charlie)
    assert client.get(reverse("mocks:feedback_detail", args=[feedback.pk])).status_code == 404
    assert SECRET not in client.get(reverse("accounts:data_export")).content.decode()
