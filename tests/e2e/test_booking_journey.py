"""Peer mock booking through the UI: alice publishes availability, bob books an ML system
design mock with her, both see it in their own timezones, alice cancels, the slot frees."""

import datetime as dt
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from prep.accounts.people import display_name
from tests.booking.factories import verify
from tests.e2e.conftest import follow, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def shown(when: dt.datetime) -> str:
    """How the booking lists print a start: 'Tue 1 Dec 2026, 18:00'."""
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M}"


def nav(page, name: str) -> None:
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name=name))


def test_alice_publishes_bob_books_alice_cancels(page, live_server, login, new_context, alice, bob):
    alice.profile.timezone = "America/Chicago"
    alice.profile.save()
    bob.profile.timezone = "Europe/Berlin"
    bob.profile.save()
    verify(bob)
    day = dt.datetime.now(CHICAGO).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(18), tzinfo=CHICAGO)

    # Alice publishes a weekly window in her own timezone.
    login(alice)
    nav(page, "Booking")
    page.get_by_role("link", name="My availability").click()
    page.get_by_label("Mock kind").select_option("ml_system_design")
    page.get_by_label("Every week").check()
    page.get_by_label("Weekday").select_option(label=WEEKDAYS[day.weekday()])
    page.get_by_label("From", exact=True).fill("18:00")
    page.get_by_label("To", exact=True).fill("19:00")
    page.get_by_label("Mock length").select_option("60")
    page.get_by_role("button", name="Publish window").click()
    expect(page.get_by_text("Availability published")).to_be_visible()
    expect(page.get_by_test_id("window-list")).to_contain_text(
        f"Every {WEEKDAYS[day.weekday()]} 18:00–19:00"
    )
    shot(page, "booking-availability")

    # Bob, in Berlin, finds her slot at his local time and books it.
    bob_context = new_context()
    bob_page = bob_context.new_page()
    bob_page.goto(f"{live_server.url}/accounts/login/")
    bob_page.get_by_label("Email").fill(bob.email)
    bob_page.get_by_label("Password").fill(PASSWORD)
    bob_page.get_by_role("button", name="Sign in").click()
    bob_page.wait_for_url(f"{live_server.url}/dashboard/")
    nav(bob_page, "Booking")
    follow(bob_page, bob_page.get_by_role("link", name="Find a peer").first)
    bob_page.get_by_label("Mock kind").select_option("ml_system_design")
    berlin = start.astimezone(BERLIN)
    berlin_short = f"{berlin:%a} {berlin.day} {berlin:%b, %H:%M}"
    book = bob_page.get_by_role(
        "link", name=f"Book ML system design with {display_name(alice)} on {berlin_short}"
    )
    expect(book).to_be_visible()
    shot(bob_page, "booking-find-a-peer")
    book.click()
    bob_page.get_by_label("Swap halves: I interview my peer too").check()
    bob_page.get_by_role("button", name="Book this mock").click()
    expect(bob_page.get_by_test_id("booking-status")).to_have_text("Booked")
    expect(bob_page.get_by_role("heading", name=f"Mock with {display_name(alice)}")).to_be_visible()
    shot(bob_page, "booking-detail-bob")

    # Both see it in their own timezone.
    nav(bob_page, "Booking")
    expect(bob_page.get_by_test_id("upcoming-list")).to_contain_text(shown(berlin))
    expect(bob_page.get_by_test_id("upcoming-list")).to_contain_text("(Europe/Berlin)")
    nav(page, "Booking")
    upcoming = page.get_by_test_id("upcoming-list")
    expect(upcoming).to_contain_text(shown(start))
    expect(upcoming).to_contain_text("(America/Chicago)")
    expect(upcoming).to_contain_text("Hosting")
    shot(page, "booking-home-alice")

    # Alice cancels with a reason.
    upcoming.get_by_role(
        "link", name=re.compile(f"ML system design with {display_name(bob)}")
    ).click()
    page.get_by_label("Why are you cancelling?").fill("Sick, sorry!")
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Cancelled")
    expect(page.get_by_text("Sick, sorry!")).to_be_visible()

    # Bob's slot is open again.
    follow(bob_page, bob_page.get_by_role("link", name="Find a peer").first)
    bob_page.get_by_label("Mock kind").select_option("ml_system_design")
    expect(
        bob_page.get_by_role(
            "link", name=f"Book ML system design with {display_name(alice)} on {berlin_short}"
        )
    ).to_be_visible()
    nav(bob_page, "Booking")
    expect(bob_page.get_by_text("Cancelled", exact=True)).to_be_visible()
    expect(bob_page.get_by_text("Nothing booked yet")).to_be_visible()
    shot(bob_page, "booking-after-cancel-bob")
    bob_context.close()
