"""Deleting an account in the middle of a peer's capture, seen from both sides: the peer's
transcript loses the deleted person's speech and name, their plan loses the mock still to
come, and their own feedback stays."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prep.booking import services as booking_services
from prep.transcripts import services as tx
from prep.transcripts.services import SegmentIn
from tests.booking.factories import SlotFactory, verify
from tests.curriculum.test_progress_seam import onboard
from tests.e2e.conftest import follow, shot
from tests.factories import PASSWORD, UserFactory
from tests.transcripts.factories import booking as past_booking

pytestmark = pytest.mark.e2e

DIMS = ("framing", "metrics", "data", "model", "serving", "monitoring", "iteration")


def test_delete_an_account_mid_capture(page, browser, live_server, login):
    dana = verify(UserFactory(email="dana@example.com", profile=None))
    bob = verify(UserFactory(email="bob@example.com", profile=None))
    onboard(dana), onboard(bob)
    dana.profile.display_name, bob.profile.display_name = "Dana Q", "Bob R"
    dana.profile.save(), bob.profile.save()
    now = timezone.now()
    # A mock dana hosts is running now; bob records it.
    live = past_booking(dana, bob)
    live.starts_at, live.ends_at = now - dt.timedelta(minutes=40), now + dt.timedelta(minutes=20)
    live.save()
    t = tx.transcript_create(
        user=bob,
        title="Live mock",
        kind="ml_system_design",
        speakers={"Dana Q": "host", "Bob R": "guest"},
        roles={"host": "interviewer", "guest": "candidate"},
        booking_id=live.pk,
    )
    tx.segment_batch_ingest(
        transcript=t,
        segments=[
            SegmentIn(0, "Dana Q", "How would you rank the feed", 0, 900, True),
            SegmentIn(1, "Bob R", "I would start from engagement labels", 1000, 2000, True),
        ],
    )
    # Yesterday's mock: bob gave dana feedback.
    past = past_booking(bob, dana)
    given = booking_services.booking_feedback_submit(
        booking=past,
        author=bob,
        scores={d: 3 for d in DIMS},
        comments={"framing": "Bob's own words on framing"},
        now=past.ends_at,
    )
    # Next week: bob booked dana's slot.
    booking_services.booking_create(
        guest=bob, slot=SlotFactory(host=dana, starts_at=now + dt.timedelta(days=5))
    )

    login(dana)
    page.goto(f"{live_server.url}/settings/delete/")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label(re.compile("I understand")).check()
    follow(page, page.get_by_role("button", name="Delete my account"))
    expect(page.get_by_text("Your account and everything it held are deleted.")).to_be_visible()

    bob_page = browser.new_context().new_page()
    bob_page.goto(f"{live_server.url}/accounts/login/")
    bob_page.get_by_label("Email").fill(bob.email)
    bob_page.get_by_label("Password").fill(PASSWORD)
    bob_page.get_by_role("button", name="Sign in").click()
    bob_page.wait_for_url(f"{live_server.url}/dashboard/")

    bob_page.goto(f"{live_server.url}/transcripts/{t.pk}/")
    expect(bob_page.get_by_text("I would start from engagement labels")).to_be_visible()
    expect(bob_page.get_by_text("How would you rank the feed")).to_have_count(0)
    expect(bob_page.get_by_text("Dana Q")).to_have_count(0)
    shot(bob_page, "deletion-peer-transcript")

    bob_page.goto(f"{live_server.url}/plan/all/")
    expect(bob_page.get_by_text(re.compile("Dana"))).to_have_count(0)
    bob_page.goto(f"{live_server.url}/booking/")
    expect(bob_page.get_by_text(re.compile("Dana"))).to_have_count(0)
    expect(bob_page.get_by_text("a deleted account").first).to_be_visible()
    shot(bob_page, "deletion-peer-bookings")

    bob_page.goto(f"{live_server.url}/booking/{past.pk}/")
    expect(bob_page.get_by_text("You gave a deleted account feedback.")).to_be_visible()
    bob_page.goto(f"{live_server.url}/mocks/feedback/{given.pk}/")
    expect(bob_page.get_by_text("Bob's own words on framing")).to_be_visible()
    shot(bob_page, "deletion-peer-feedback")
