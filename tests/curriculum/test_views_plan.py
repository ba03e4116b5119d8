"""Plan pages over HTTP: htmx edits, bad input, isolation, the calendar feed, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from curriculum import plans
from curriculum.models import PlanItem
from tests.budget import SESSION
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    user = UserFactory(profile=None)
    onboard(user, role="mle", days=28)
    client.force_login(user)
    client.user = user
    return client


def test_week_view_shows_today_highlighted_and_items(user_client):
    response = user_client.get(reverse("curriculum:plan"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "day--today" in html
    assert 'data-testid="plan-item"' in html
    assert "Arrays and hashing" in html


def test_items_link_to_where_the_work_is_done_once_that_page_exists(user_client):
    html = user_client.get(reverse("curriculum:plan")).content.decode()
    assert f'href="{reverse("drills:problem_list")}?pattern=hashing&amp;difficulty=medium"' in html


def test_whole_plan_lists_every_item(user_client):
    response = user_client.get(reverse("curriculum:plan_all"))
    assert response.status_code == 200
    assert (
        response.content.decode().count('data-testid="plan-item"')
        == PlanItem.objects.filter(user=user_client.user).count()
    )


def test_tick_with_htmx_returns_the_item_fragment(user_client):
    item = PlanItem.objects.filter(user=user_client.user).first()
    url = reverse("curriculum:item_action", args=[item.pk, "complete"])
    response = user_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html and 'data-status="done"' in html
    assert "<html" not in html
    item.refresh_from_db()
    assert item.status == "done"


def test_unknown_action_is_404(user_client):
    item = PlanItem.objects.filter(user=user_client.user).first()
    assert (
        user_client.post(reverse("curriculum:item_action", args=[item.pk, "explode"])).status_code
        == 404
    )


def test_actions_need_post(user_client):
    item = PlanItem.objects.filter(user=user_client.user).first()
    assert (
        user_client.get(reverse("curriculum:item_action", args=[item.pk, "complete"])).status_code
        == 405
    )


@pytest.mark.parametrize("value", ["not-a-date", "2026-02-30", "", "99999-01-01"])
def test_a_malformed_day_off_date_gets_a_clear_message(user_client, value):
    before = list(PlanItem.objects.filter(user=user_client.user).values_list("pk", "date"))
    response = user_client.post(
        reverse("curriculum:day_off"), {"date": value, "off": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a date as YYYY-MM-DD." in html or "Choose a day." in html
    assert list(PlanItem.objects.filter(user=user_client.user).values_list("pk", "date")) == before


def test_a_malformed_week_parameter_gets_a_message_not_an_error(user_client):
    response = user_client.get(reverse("curriculum:plan"), {"week": "next tuesday"})
    assert response.status_code == 200
    assert "That week is not a date" in response.content.decode()


def test_day_off_with_htmx_moves_items_and_says_so(user_client):
    plan = user_client.user.plan
    tomorrow = plans.local_today(plan) + dt.timedelta(days=1)
    assert PlanItem.objects.filter(plan=plan, date=tomorrow).exists()
    response = user_client.post(
        reverse("curriculum:day_off"),
        {"date": tomorrow.isoformat(), "off": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'id="plan-body"' in html and "is now a day off" in html
    assert not PlanItem.objects.filter(plan=plan, date=tomorrow).exists()


def test_another_users_items_and_feed_are_404(user_client, charlie):
    onboard(charlie, role="applied")
    theirs = PlanItem.objects.filter(user=charlie).first()
    for action in ("complete", "skip", "snooze", "reopen"):
        assert (
            user_client.post(
                reverse("curriculum:item_action", args=[theirs.pk, action])
            ).status_code
            == 404
        )
    assert (
        user_client.post(
            reverse("curriculum:item_checklist", args=[theirs.pk]), {"index": 0}
        ).status_code
        == 404
    )
    assert user_client.get(reverse("calendar_feed", args=["not-a-real-token"])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_calendar_feed_parses_and_matches_the_plan(client, user_client):
    plan = user_client.user.plan
    response = client.get(reverse("calendar_feed", args=[plan.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e.decoded("dtstart") for e in cal.walk("VEVENT")}
    items = PlanItem.objects.filter(plan=plan).select_related("module")
    assert len(events) == items.count()
    for item in items:
        assert (
            events[f"prep-plan-{plan.user_id}-{item.module.slug}-{item.session_index}@prep"]
            == item.date
        )


def test_calendar_feed_follows_the_plan_and_a_new_token_kills_the_old(client, user_client):
    plan = user_client.user.plan
    tomorrow = plans.local_today(plan) + dt.timedelta(days=1)
    plans.day_off_set(user_client.user, day=tomorrow, off=True)
    cal = Calendar.from_ical(
        client.get(reverse("calendar_feed", args=[plan.calendar_token])).content
    )
    assert all(e.decoded("dtstart") != tomorrow for e in cal.walk("VEVENT"))
    old = plan.calendar_token
    user_client.post(reverse("curriculum:calendar_regenerate"))
    plan.refresh_from_db()
    assert plan.calendar_token != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[plan.calendar_token])).status_code == 200


def _user_with_plan(days, done_fraction):
    user = UserFactory(profile=None)
    onboard(user, role="mle", days=days)
    items = list(PlanItem.objects.filter(user=user))
    for item in items[: int(len(items) * done_fraction)]:
        plans.item_complete(item=item)
    return user


@pytest.mark.parametrize("url_name", ["curriculum:plan", "curriculum:plan_all", "dashboard:today"])
def test_pages_run_the_same_queries_for_28_and_120_day_plans(
    client, django_assert_num_queries, url_name
):
    counts = []
    for days in (28, 120):
        user = _user_with_plan(days, 0.3)
        client.force_login(user)
        client.get(reverse(url_name))  # warm: a first read may stamp the plan
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    user = _user_with_plan(60, 0.5)
    client.force_login(user)
    client.get(reverse(url_name))
    with django_assert_num_queries(counts[0]):
        client.get(reverse(url_name))


def test_plan_page_query_count_is_pinned(client, django_assert_num_queries):
    for days in (28, 120):
        user = _user_with_plan(days, 0.3)
        client.force_login(user)
        client.get(reverse("curriculum:plan"))
        with django_assert_num_queries(PLAN_PAGE_QUERIES):
            client.get(reverse("curriculum:plan"))


PLAN_PAGE_QUERIES = SESSION + 9  # item rows counted once (areas, totals, week 3), days off once;
# the email check comes with the user (prep.accounts.backends); the module progress and the
# checklist ticks in one statement (curriculum.selectors._progress_and_ticks)


def test_the_plan_is_current_after_midnight_without_a_worker(user_client, settings):
    """No beat in the one-command default: reading the plan rolls missed items forward."""
    settings.PREP_ROLL_FORWARD_ON_READ = True  # the default without REDIS_URL
    plan = user_client.user.plan
    moment = timezone.now() + dt.timedelta(days=2)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: moment)
        user_client.get(reverse("curriculum:plan"))
    assert not PlanItem.objects.filter(plan=plan, status="pending", date__lt=moment.date()).exists()


def test_where_beat_runs_reading_the_plan_leaves_the_roll_forward_to_it(user_client, settings):
    settings.PREP_ROLL_FORWARD_ON_READ = False  # the default with REDIS_URL (beat rolls forward)
    plan = user_client.user.plan
    moment = timezone.now() + dt.timedelta(days=2)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: moment)
        user_client.get(reverse("curriculum:plan"))
    assert PlanItem.objects.filter(plan=plan, status="pending", date__lt=moment.date()).exists()


def test_an_item_shows_its_own_progress_and_ticks_not_another_users(user_client, bob):
    """The module progress and checklist ticks an item shows (read in one statement,
    curriculum.selectors._progress_and_ticks) are the user's, the progress capped at the
    target."""
    from curriculum.models import ChecklistTick, ModuleProgress

    user = user_client.user
    item = (
        PlanItem.objects.filter(user=user, module__completion__type="checklist")
        .select_related("module")
        .order_by("date", "id")
        .first()
    )
    assert item is not None and len(item.module.checklist_items) >= 2
    module = item.module
    ModuleProgress.objects.create(user=user, module=module, done=7, target=5)
    ModuleProgress.objects.create(user=bob, module=module, done=1, target=9)
    ChecklistTick.objects.create(user=user, module=module, index=1)
    ChecklistTick.objects.create(user=bob, module=module, index=0)
    monday = item.date - dt.timedelta(days=item.date.weekday())
    html = user_client.get(reverse("curriculum:plan"), {"week": monday.isoformat()}).content
    shown = html.decode().split(f'id="item-{item.pk}"')[1].split('<div class="btn-group">')[0]
    assert '<progress max="5" value="5"' in shown and "5 / 5" in shown
    checklist = shown.split('<ul class="checklist">')[1]
    pressed = [line for line in checklist.splitlines() if "aria-pressed" in line]
    assert ['aria-pressed="true"' in line for line in pressed[:2]] == [False, True]
