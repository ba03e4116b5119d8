"""Stored plans: generation, roll-forward, hand edits, days off and the calendar seam."""

import datetime as dt

import pytest
from django.utils import timezone

from curriculum import plans, progress
from curriculum.models import Plan, PlanItem
from curriculum.tasks import replan_missed
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(settings):
    # Reading the plan rolls missed days forward as in the embedded default (no beat), also
    # on the PostgreSQL + Redis pass.
    settings.PREP_ROLL_FORWARD_ON_READ = True
    user = UserFactory(profile=None)
    onboard(user, role="mle", days=28)
    return user


def pending(user):
    return PlanItem.objects.filter(user=user, status="pending")


def later(days, hours=0):
    return timezone.now() + dt.timedelta(days=days, hours=hours)


def test_onboarding_creates_a_plan_that_fits_each_day(user):
    plan = user.plan
    items = list(PlanItem.objects.filter(plan=plan))
    assert items
    per_day = {}
    for item in items:
        per_day[item.date] = per_day.get(item.date, 0) + item.minutes
    capacity = -(-plan.weekly_minutes // len(plan.weekdays))
    assert max(per_day.values()) <= capacity
    assert min(per_day) >= plan.start and max(per_day) < plan.interview


def test_missed_items_roll_forward_when_the_plan_is_read(user):
    plan = user.plan
    first_day = PlanItem.objects.filter(plan=plan).order_by("date").first().date
    missed_titles = set(
        PlanItem.objects.filter(plan=plan, date=first_day).values_list("module__slug", flat=True)
    )
    done = PlanItem.objects.filter(plan=plan, date=first_day + dt.timedelta(days=1)).first()
    plans.item_complete(item=done)

    two_days_later = later(2)
    read = plans.plan_for_reading(user, now=two_days_later)
    today = plans.local_today(read, two_days_later)
    assert not PlanItem.objects.filter(plan=plan, status="pending", date__lt=today).exists()
    # The missed modules are still planned, from today on.
    assert missed_titles <= set(pending(user).values_list("module__slug", flat=True))
    # Done items never move.
    done_again = PlanItem.objects.get(pk=done.pk)
    assert (done_again.date, done_again.status) == (done.date, "done")
    read.refresh_from_db()
    assert "rolled forward" in read.notice["reason"]
    assert {m["module"] for m in read.notice["moves"]} >= missed_titles


def test_the_nightly_task_rolls_forward_once(user):
    plan = user.plan
    moment = later(3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: moment)
        assert replan_missed.delay().get() == 1
        # Run twice: nothing more to do.
        assert replan_missed.delay().get() == 0
    plan.refresh_from_db()
    assert plan.planned_on == moment.date()


def test_a_day_off_moves_its_items_away(user):
    plan = user.plan
    tomorrow = plans.local_today(plan) + dt.timedelta(days=1)
    before = PlanItem.objects.filter(plan=plan, date=tomorrow).count()
    assert before
    moves = plans.day_off_set(user, day=tomorrow, off=True)
    assert PlanItem.objects.filter(plan=plan, date=tomorrow).count() == 0
    assert moves
    plans.day_off_set(user, day=tomorrow, off=False)
    assert PlanItem.objects.filter(plan=plan, date=tomorrow).count() == before


def test_a_day_off_in_the_past_is_refused(user):
    with pytest.raises(plans.PlanError, match="past"):
        plans.day_off_set(user, day=plans.local_today(user.plan) - dt.timedelta(days=1), off=True)


def test_snooze_moves_the_item_later_and_keeps_the_rest_of_the_day(user):
    plan = user.plan
    today = plans.local_today(plan)
    todays = list(PlanItem.objects.filter(plan=plan, date=today).order_by("id"))
    assert len(todays) >= 2
    target, other = todays[0], todays[1]
    plans.item_snooze(item=target)
    assert not PlanItem.objects.filter(
        plan=plan, date=today, module=target.module, session_index=target.session_index
    ).exists()
    assert PlanItem.objects.filter(plan=plan, date=today, module=other.module).exists()
    assert PlanItem.objects.filter(plan=plan, module=target.module, date__gt=today).exists()


def test_profile_change_replans_and_keeps_done_work(user):
    plan = user.plan
    done = PlanItem.objects.filter(plan=plan).first()
    plans.item_complete(item=done)
    profile = user.profile
    from prep.accounts import services

    services.profile_update(
        profile=profile,
        data={
            "role": "mle",
            "weekly_hours": 20,
            "weekdays": [0, 2, 4],
            "timezone": "UTC",
            "target_companies": "",
            "interview_date": profile.interview_date,
        },
    )
    plan.refresh_from_db()
    assert plan.weekly_minutes == 1200 and plan.weekdays == [0, 2, 4]
    assert PlanItem.objects.get(pk=done.pk).status == "done"
    assert all(d.weekday() in (0, 2, 4) for d in pending(user).values_list("date", flat=True))


def test_a_booked_peer_mock_is_fixed_and_counts_as_a_peer_mock_item(user):
    plan = user.plan
    today = plans.local_today(plan)
    when = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=17), dt.time(18, 0)), dt.UTC
    )
    plans.fix_event(
        user,
        key="booking:1",
        kind=plans.PEER_MOCK_KIND,
        starts_at=when,
        ends_at=when + dt.timedelta(minutes=90),
        title="Peer mock with Bob",
    )
    peer_items = PlanItem.objects.filter(plan=plan, module__slug__contains="peer-mock").order_by(
        "date"
    )
    assert peer_items.filter(date=when.date()).exists()
    # Re-planning after missed days never moves it.
    plans.plan_for_reading(user, now=later(3))
    assert PlanItem.objects.filter(
        plan=plan, module__slug__contains="peer-mock", date=when.date()
    ).exists()
    plans.unfix_event(user, key="booking:1")
    assert not plans.FixedEvent.objects.filter(user=user).exists()


def test_reserved_minutes_leave_room_on_that_day(user):
    plan = user.plan
    day = plans.local_today(plan) + dt.timedelta(days=2)
    capacity = -(-plan.weekly_minutes // len(plan.weekdays))
    plans.reserve_minutes(user, source="flashcards:forecast", minutes_by_day={day: capacity - 10})
    load = sum(PlanItem.objects.filter(plan=plan, date=day).values_list("minutes", flat=True))
    assert load <= 10


def test_a_compressed_plan_lists_what_did_not_fit():
    user = UserFactory(profile=None)
    plan = onboard(user, role="applied", days=18)
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.unscheduled
    assert all(entry["reason"] for entry in plan.unscheduled)
    slugs = set(PlanItem.objects.filter(plan=plan).values_list("module__slug", flat=True))
    assert {"mlsd-peer-mock-1", "mlsd-peer-mock-2"} <= slugs


def test_checklist_items_complete_the_module(user):
    item = (
        PlanItem.objects.filter(plan=user.plan, module__completion__type="checklist")
        .select_related("module")
        .first()
    )
    if item is None:
        pytest.fail("the MLE plan should hold a checklist module")
    for index in range(len(item.module.checklist_items)):
        plans.checklist_tick(item=item, index=index, ticked=True)
    item.refresh_from_db()
    assert item.status == "done"
    plans.checklist_tick(item=item, index=0, ticked=False)
    item.refresh_from_db()
    assert item.status == "pending"
    with pytest.raises(plans.PlanError):
        plans.checklist_tick(item=item, index=99, ticked=True)


def test_progress_events_complete_items_after_a_replan_too(user):
    for n in range(3):
        progress.record(
            user,
            key=f"d:{n}",
            area="coding",
            kind="drill_solved",
            tags=("hashing", "medium"),
            occurred_at=timezone.now(),
        )
    plans.plan_for_reading(user, now=later(2))
    assert not PlanItem.objects.filter(
        user=user, module__slug="coding-arrays-hashing", status="pending"
    ).exists()


def test_work_done_today_still_counts_against_todays_room(user):
    plan = user.plan
    today = plans.local_today(plan)
    capacity = -(-plan.weekly_minutes // len(plan.weekdays))
    for item in PlanItem.objects.filter(plan=plan, date=today):
        plans.item_complete(item=item)
    plans.day_off_set(user, day=today + dt.timedelta(days=1), off=True)
    assert (
        sum(PlanItem.objects.filter(plan=plan, date=today).values_list("minutes", flat=True))
        <= capacity
    )
