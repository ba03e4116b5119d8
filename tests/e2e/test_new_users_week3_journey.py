"""Issue 23: three new users sign up on a Sunday, four weeks before their interviews.

The server's clock is pinned with time-machine and each browser's with Playwright's
``page.clock``, both to Sunday 29 November 2026, 09:00 UTC (10:00 in Berlin, 04:00 in New
York). A research scientist in Berlin at 12 h a week, an ML engineer in New York at 8 h and
an applied scientist at 10 h onboard through the pages; two of them book each other for day
one. Every plan keeps its two peer mocks in week 3 (13-19 December), opens on Monday, and
shows every time in the user's zone, named. Then: a reload after creating an API token
creates none, the live page follows new lines (and stays put once scrolled up), and at
390 px the transcript, drills and plan pages fit their cards (measured, not eyeballed).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from prep.accounts.models import ApiToken
from prep.booking.services import booking_create
from prep.capture.services import capture_phase_mark, capture_session_create, capture_session_end
from prep.mocks.models import Prompt
from prep.mocks.services import solo_mock_start
from prep.transcripts.services import SegmentIn, segment_batch_ingest
from tests.booking.factories import SlotFactory, verify
from tests.e2e.conftest import shot
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

SUNDAY = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
INTERVIEW = dt.date(2026, 12, 27)  # 28 days on
WEEK3 = [dt.date(2026, 12, 13) + dt.timedelta(days=n) for n in range(7)]  # days 15-21
DAY1 = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # Monday: 18:00 Berlin, 12:00 New York

PEOPLE = {
    "rs": ("Research scientist", "Europe/Berlin", 12),
    "mle": ("ML engineer", "America/New_York", 8),
    "as": ("Applied scientist", "Europe/London", 10),
}

# Every card (and table wrapper) whose content is wider than its box, and the page's own
# horizontal overflow: what a 390 px phone would have to scroll sideways.
OVERFLOW_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('.card, .table-wrap, .alert, .day, main, .page')) {
    const style = getComputedStyle(el);
    const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
    if (!scrolls && el.scrollWidth > el.clientWidth + 1) {
      bad.push(`${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    bad.push(`page ${doc.scrollWidth}>${doc.clientWidth}`);
    // Name the culprits: elements whose right edge passes the viewport, outside scrollers.
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (r.right > doc.clientWidth + 1 && !el.closest('.table-wrap')) {
        bad.push(`${el.tagName}.${el.className} right=${Math.round(r.right)}`);
        if (bad.length > 12) break;
      }
    }
  }
  return bad;
}"""


@pytest.fixture
def sunday():
    with time_machine.travel(SUNDAY, tick=True):
        yield


@pytest.fixture
def open_context(browser, live_server):
    """New browser contexts (one per person, in their zone, clock pinned to the Sunday),
    closed before the live server stops so no request outlives it."""
    contexts = []

    def _open(zone: str, **kwargs):
        context = browser.new_context(timezone_id=zone, base_url=live_server.url, **kwargs)
        context.clock.install(time=SUNDAY)
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()


def _sign_in_and_onboard(page, user, *, role: str, zone: str, hours: int) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/onboarding/$"))
    # Monday to Friday come pre-ticked: role, date and hours are all a person must give.
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        expect(page.get_by_label(day)).to_be_checked()
    for day in ("Saturday", "Sunday"):
        expect(page.get_by_label(day)).not_to_be_checked()
    page.get_by_role("radio", name=re.compile(role)).check()
    page.get_by_label("Interview date").fill(INTERVIEW.isoformat())
    page.get_by_label("Hours per week").fill(str(hours))
    page.get_by_label("Timezone").fill(zone)
    page.get_by_role("button", name="Build my plan").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def _assert_two_peer_mocks_in_week3(page) -> None:
    page.goto("/plan/all/")
    week3 = page.locator('[data-testid="plan-week"][data-week="3"]')
    expect(week3).to_contain_text("ML system design")
    for slug in ("mlsd-peer-mock-1", "mlsd-peer-mock-2"):
        item = week3.locator(f'[data-module="{slug}"]')
        expect(item).to_have_count(1)
        day = item.locator("xpath=ancestor::details[1]").get_attribute("data-date")
        assert dt.date.fromisoformat(day) in WEEK3, (slug, day)


def test_three_new_users_on_a_sunday_keep_week_3s_peer_mocks(
    open_context, sunday, settings, catalogue
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = {key: verify(UserFactory(email=f"{key}@example.com", profile=None)) for key in PEOPLE}
    pages = {}
    for key, (role, zone, hours) in PEOPLE.items():
        page = open_context(zone).new_page()
        _sign_in_and_onboard(page, users[key], role=role, zone=zone, hours=hours)
        # Nothing today (a Sunday): the dashboard says when the work starts.
        expect(page.get_by_test_id("next-work-day")).to_contain_text("Monday 30 November")
        expect(page.get_by_text("All clear for today")).to_have_count(0)
        pages[key] = page

    # Day one: the ML engineer books the research scientist's slot.
    slot = SlotFactory(host=users["rs"], starts_at=DAY1, ends_at=DAY1 + dt.timedelta(minutes=60))
    guest = pages["mle"]
    guest.goto(f"/booking/slots/{slot.pk}/book/")
    guest.get_by_role("button", name="Book this mock").click()
    expect(guest.get_by_test_id("booking-status")).to_have_text("Booked")
    # Its change rule, in the guest's zone.
    expect(guest.get_by_test_id("change-rule")).to_contain_text("America/New_York")

    for key in PEOPLE:
        page = pages[key]
        _assert_two_peer_mocks_in_week3(page)
        # The week view opens on the next study day's week, not the week that ends today.
        page.goto("/plan/")
        expect(page.locator('[data-date="2026-11-30"]')).to_be_visible()
        expect(page.locator('[data-date="2026-11-29"]')).to_have_count(0)
        expect(page.get_by_test_id("next-work-day")).to_contain_text("Monday 30 November")
        expect(page.get_by_test_id("week3")).to_contain_text("Sun 13 Dec – Sat 19 Dec")
        shot(page, f"issue23-plan-{key}")

    # The booked mock on the plan: in each person's zone, named; extra practice, since
    # week 3 keeps its own two.
    booked = {"rs": "18:00–19:00 Europe/Berlin", "mle": "12:00–13:00 America/New_York"}
    for key, text in booked.items():
        time = pages[key].locator('[data-date="2026-11-30"]').get_by_test_id("booked-time")
        expect(time).to_contain_text(text)
        expect(time).to_contain_text("extra practice")
    expect(pages["as"].get_by_test_id("booked-event")).to_have_count(0)


def test_times_tokens_and_the_live_page_for_a_new_yorker(open_context, sunday, settings, catalogue):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    zone = "America/New_York"
    user = UserFactory(email="ny@example.com", profile__timezone=zone)
    page = open_context(zone).new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # A solo mock started now (09:00 UTC) reads 04:00 New York time in its header.
    mock = solo_mock_start(user=user, prompt=Prompt.objects.filter(kind="ml_system_design")[0])
    page.goto(f"/mocks/solo/{mock.pk}/")
    expect(page.get_by_test_id("mock-time")).to_have_text("04:00 America/New_York")

    # A capture: the transcripts list names the zone and shows 04:00.
    session, _ = capture_session_create(
        user=user, title="Feed ranking", kind="ml_system_design", question="Rank a feed"
    )
    page.goto("/transcripts/")
    expect(page.get_by_test_id("transcript-list")).to_contain_text("America/New_York")
    expect(page.get_by_test_id("transcript-time").first).to_have_text("29 Nov 2026, 04:00")

    # A token is shown once; reloading the page creates no second one.
    page.goto("/settings/tokens/")
    page.get_by_label("Name").fill("Overlay on my laptop")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("token-plaintext")).to_contain_text("prep_")
    page.reload()
    expect(page.get_by_test_id("token-plaintext")).to_have_count(0)
    assert ApiToken.objects.filter(user=user).count() == 1

    # The live page follows the lines as they arrive...
    page.goto(f"/capture/sessions/{session.pk}/")
    lines = page.get_by_test_id("live-segments")

    def send(first: int, count: int) -> None:
        segment_batch_ingest(
            transcript=session.transcript,
            segments=[
                SegmentIn(
                    n,
                    "Candidate",
                    f"Line {n}: the ranking model's next part.",
                    n * 1000,
                    n * 1000 + 900,
                    True,
                )
                for n in range(first, first + count)
            ],
        )

    send(0, 40)
    expect(lines.get_by_text("Line 39:")).to_be_visible(timeout=15_000)
    page.wait_for_function(
        "() => { const el = document.getElementById('segments');"
        " return el.scrollHeight > el.clientHeight + 100"
        " && el.scrollHeight - el.scrollTop - el.clientHeight < 30; }"
    )
    # ...and leaves a reader who scrolled up where they are.
    page.evaluate(
        "() => { const el = document.getElementById('segments'); el.scrollTop = 0;"
        " el.dispatchEvent(new Event('scroll')); }"
    )
    send(40, 10)
    expect(lines.get_by_text("Line 49:")).to_be_attached(timeout=15_000)
    assert page.evaluate("document.getElementById('segments').scrollTop") == 0
    expect(lines.get_by_text("Line 49:")).not_to_be_in_viewport()


def test_at_390_px_the_transcript_drills_and_plan_pages_fit_their_cards(
    open_context, sunday, settings, catalogue
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    zone = "Europe/Berlin"
    user = verify(UserFactory(email="phone@example.com", profile=None))
    context = open_context(zone, viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in_and_onboard(page, user, role="ML engineer", zone=zone, hours=10)
    # A booked mock on day one, so the plan's days hold a booked time too.
    host = UserFactory(email="host@example.com")
    slot = SlotFactory(host=host, starts_at=DAY1, ends_at=DAY1 + dt.timedelta(minutes=60))
    booking_create(guest=user, slot=slot)

    session, _ = capture_session_create(
        user=user,
        title="Feed ranking with a long title",
        kind="ml_system_design",
        question="Design the ranking of a social news feed for a very large audience",
    )
    segment_batch_ingest(
        transcript=session.transcript,
        segments=[
            SegmentIn(
                n,
                "Candidate" if n % 2 else "Interviewer",
                "We optimise for long-term engagement, measured by retention and dwell.",
                n * 4000,
                n * 4000 + 3500,
                True,
            )
            for n in range(12)
        ],
    )
    for phase, at_ms in (("framing", 0), ("metrics", 9000), ("data", 21000), ("model", 33000)):
        capture_phase_mark(session=session, phase=phase, at_ms=at_ms)
    capture_session_end(session=session)

    pages = {
        "transcript": f"/transcripts/{session.transcript.pk}/",
        "drills": "/drills/",
        "plan": "/plan/",
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("html[data-ready]")).to_be_attached()
        shot(page, f"issue23-390-{name}")
        overflow = page.evaluate(OVERFLOW_JS)
        assert overflow == [], f"{name}: {overflow}"
    # The drill list is paginated at 390 px too, and the filters ride along.
    page.goto("/drills/?difficulty=medium")
    expect(page.get_by_test_id("pagination")).to_be_visible()
    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"difficulty=medium.*page=2|page=2.*difficulty=medium"))
