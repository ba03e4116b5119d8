"""Deleting an account: nothing of the user is left in any table, and the peer keeps what is
theirs (their feedback, their no-show report, their transcript without the deleted speech, a
plan that knows the mock is cancelled)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone

from curriculum.models import FixedEvent
from prep.accounts import tokens
from prep.booking import services as booking_services
from prep.booking.models import Booking, NoShow
from prep.mocks.models import RubricFeedback
from prep.transcripts import services as tx
from prep.transcripts.models import Pin, Segment, Transcript
from prep.transcripts.services import SegmentIn
from tests.booking.factories import SlotFactory, verify
from tests.curriculum.test_progress_seam import onboard
from tests.factories import PASSWORD, UserFactory, fresh_login
from tests.transcripts.factories import booking as past_booking
from tooling.demo import seeders

pytestmark = pytest.mark.django_db

DIMS = ("framing", "metrics", "data", "model", "serving", "monitoring", "iteration")
NAME = "Dana Quill"


def _booking_at(host, guest, start):
    b = past_booking(host, guest)
    Booking.objects.filter(pk=b.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))
    b.refresh_from_db()
    return b


def _capture(owner, booking, *, labels, end):
    """A captured transcript of ``booking`` owned by ``owner``; ``labels`` maps speaker label
    to participant; each label says two finals."""
    t = tx.transcript_create(
        user=owner,
        title=f"Mock with {NAME}",
        kind="ml_system_design",
        speakers=labels,
        roles={"host": "interviewer", "guest": "candidate"},
        booking_id=booking.pk,
    )
    rows, seq = [], 0
    for label in labels:
        for _ in range(2):
            rows.append(
                SegmentIn(seq, label, f"{label} says something {seq}", seq * 10, seq * 10 + 5, True)
            )
            seq += 1
    tx.segment_batch_ingest(transcript=t, segments=rows)
    tx.pin_add(transcript=t, kind="assumption", text=f"{NAME} assumes 10M users", at_ms=1)
    if end:
        tx.transcript_end(transcript=t)
        tx.transcript_analyse(transcript_id=t.pk)
    return t


@pytest.fixture
def world(bob, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    dana = UserFactory(
        email="dana.quill@example.com", first_name="Dana", last_name="Quill", profile=None
    )
    onboard(dana)
    onboard(bob)
    verify(dana), verify(bob)
    for seeder in seeders():  # every app's own demo data for dana
        seeder.func(dana, days=10, rng=random.Random(7))
    now = timezone.now()
    w = {"dana": dana, "bob": bob}
    # Recording now: bob captures the mock dana hosts.
    w["live"] = _booking_at(dana, bob, now - dt.timedelta(minutes=40))
    w["live_tx"] = _capture(bob, w["live"], labels={NAME: "host", "Bob": "guest"}, end=False)
    # Ended yesterday: feedback both ways, and dana's transcript shared with bob.
    w["past"] = _booking_at(bob, dana, now - dt.timedelta(days=1))
    after = w["past"].ends_at + dt.timedelta(minutes=5)
    for author in (bob, dana):
        booking_services.booking_feedback_submit(
            booking=w["past"], author=author, scores={d: 2 for d in DIMS}, now=after
        )
    w["shared_tx"] = _capture(dana, w["past"], labels={"Bob": "host", NAME: "guest"}, end=True)
    tx.transcript_share(transcript=w["shared_tx"], by=dana)
    # Dana did not come to another one: bob reported it.
    w["missed"] = _booking_at(dana, bob, now - dt.timedelta(days=2))
    booking_services.no_show_report(booking=w["missed"], reporter=bob, now=now)
    # To come: bob booked dana's slot; it is in his plan.
    w["future"] = booking_services.booking_create(
        guest=bob,
        slot=SlotFactory(host=dana, starts_at=now + dt.timedelta(days=4)),
        want_swap=False,
    )
    booking_services._fix_in_plans(w["past"])
    tokens.api_token_create(user=dana, name="overlay")
    return w


def _user_columns(model):
    User = get_user_model()
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is User
    ]


def test_deletion_leaves_nothing_of_the_user_and_keeps_what_is_the_peers(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    dana, bob = world["dana"], world["bob"]
    seeded = {
        m._meta.label_lower
        for m in apps.get_models()
        for f in _user_columns(m)
        if m._default_manager.filter(**{f.name: dana}).exists()
    }
    # Seeded across every app that keeps per-user rows.
    for app in (
        "accounts",
        "curriculum",
        "drills",
        "flashcards",
        "mocks",
        "booking",
        "transcripts",
    ):
        assert any(label.startswith(app + ".") for label in seeded), app

    fresh_login(client, dana)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    # Every table: no row points at dana any more.
    left = [
        f"{m._meta.label_lower}.{f.name}"
        for m in apps.get_models()
        for f in _user_columns(m)
        if m._default_manager.filter(**{f.attname: dana.pk}).exists()
    ]
    assert left == []
    assert not get_user_model().objects.filter(pk=dana.pk).exists()

    # Bob's own feedback about dana, and his no-show report, are kept.
    kept = RubricFeedback.objects.get(author=bob, context_key=world["past"].key)
    assert kept.subject_id is None and kept.scores.count() == len(DIMS)
    assert (
        not RubricFeedback.objects.filter(context_key=world["past"].key)
        .exclude(author=bob)
        .exists()
    )
    report = NoShow.objects.get(booking=world["missed"], reporter=bob)
    assert report.absent_id is None

    # The mock to come is cancelled for bob: out of his plan and feed, and he is told.
    future = Booking.objects.get(pk=world["future"].pk)
    assert future.status == Booking.Status.CANCELLED
    assert future.cancel_reason == booking_services.ACCOUNT_DELETED_REASON
    assert not FixedEvent.objects.filter(user=bob, key=future.key).exists()
    assert any(
        "Cancelled" in m.subject or "cancel" in m.body.lower()
        for m in mailoutbox
        if bob.email in m.to
    )
    # The past one stays in his plan, without dana's name, and its link still opens.
    event = FixedEvent.objects.get(user=bob, key=world["past"].key)
    assert "Dana" not in event.title and "deleted account" in event.title
    client.force_login(bob)
    page = client.get(event.url)
    assert page.status_code == 200
    assert "Dana" not in page.content.decode()
    feed = client.get(reverse("calendar_feed", args=[bob.plan.calendar_token]))
    assert "Dana" not in feed.content.decode()

    # Bob's recording transcript: dana's speech gone, her label anonymised, new speech under
    # it refused while bob's is still taken.
    live = Transcript.objects.get(pk=world["live_tx"].pk)
    assert live.is_recording
    assert set(Segment.objects.filter(transcript=live).values_list("speaker", flat=True)) == {"Bob"}
    assert NAME not in live.speakers and live.speakers["Deleted account"] == "host"
    result = tx.segment_batch_ingest(
        transcript=live,
        segments=[
            SegmentIn(10, NAME, "still talking", 900, 950, True),
            SegmentIn(11, "Bob", "ok", 960, 990, True),
        ],
    )
    assert (result.new, result.refused) == (1, 1)
    assert list(
        Segment.objects.filter(transcript=live, seq__gte=10).values_list("speaker", flat=True)
    ) == ["Bob"]

    # Dana's transcript shared with bob passes to him: her speech, pins and title gone.
    shared = Transcript.objects.get(pk=world["shared_tx"].pk)
    assert shared.user_id == bob.pk
    assert set(Segment.objects.filter(transcript=shared).values_list("speaker", flat=True)) == {
        "Bob"
    }
    assert not Pin.objects.filter(transcript=shared).exists()
    assert "Dana" not in shared.title and NAME not in shared.speakers and not shared.pinned
    page = client.get(reverse("transcripts:detail", args=[shared.pk])).content.decode()
    assert "Dana" not in page
