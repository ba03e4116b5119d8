"""The plan's item reads (curriculum.selectors._items_with_modules: one hand-written statement
per read) against the ORM statements they replaced: the same items, in the same order, with
the same fields and the same modules already loaded, whatever the statuses, ties on a date,
another user's plan or an empty result."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Count, Min, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from curriculum import selectors
from curriculum.models import DayOff, FixedEvent, Module, Plan, PlanItem, ProgressEvent
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 9)  # a Monday
PENDING, DONE, SKIPPED = (PlanItem.Status.PENDING, PlanItem.Status.DONE, PlanItem.Status.SKIPPED)


def _plan_with(items):
    """A plan whose items are exactly ``items``: (days from TODAY, status), in creation order
    (ids ascending), on four modules in turn (so a module has items in several statuses)."""
    user = UserFactory(profile=None)
    plan = onboard(user)
    PlanItem.objects.filter(plan=plan).delete()
    modules = list(Module.objects.order_by("position", "id"))
    for n, (days, status) in enumerate(items):
        PlanItem.objects.create(
            plan=plan,
            user=user,
            module=modules[n % 4],
            date=TODAY + dt.timedelta(days=days),
            minutes=15 + n,
            session_index=1 + n % 2,
            session_count=2,
            week=1,
            status=status,
            done_at=dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC) if status == DONE else None,
            auto_done=status == DONE and n % 2 == 0,
            not_before=TODAY if n % 3 == 0 else None,
        )
    return plan


# Two pending on the day before (overdue), ties on TODAY in every status, a gap, fourteen
# pending on the first day ahead with work (more than next_work_day's twelve), one later.
ITEMS = [
    (-1, PENDING), (0, DONE), (0, PENDING), (0, SKIPPED), (0, PENDING), (-1, PENDING),
    (2, DONE), *[(3, PENDING)] * 14, (5, PENDING), (3, SKIPPED),
]  # fmt: skip


@pytest.fixture
def plan():
    plan = _plan_with(ITEMS)
    _plan_with([(d, PENDING) for d in range(-3, 6)])  # another user's plan, the same days
    return plan


def _orm(plan, *conditions, limit=None):
    rows = (
        PlanItem.objects.filter(plan=plan)
        .filter(*conditions)
        .select_related("module")
        .order_by("date", "id")
    )
    return list(rows[:limit] if limit else rows)


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same(items, expected):
    assert [i.pk for i in items] == [e.pk for e in expected]
    with CaptureQueriesContext(connection) as queries:
        for item, orm in zip(items, expected, strict=True):
            assert type(item) is PlanItem and not item._state.adding
            assert _fields(item) == _fields(orm)
            assert _fields(item.module) == _fields(orm.module)  # loaded: no query
            assert item.module._state.db == orm.module._state.db
    assert not queries.captured_queries


def _pending(**lookup):
    return Q(status=PENDING, **lookup)


@pytest.mark.parametrize("today", [TODAY - dt.timedelta(days=5), TODAY, TODAY + dt.timedelta(2)])
def test_next_work_day_reads_what_the_orm_read(plan, today):
    expected = _orm(plan, _pending(date__gte=today), limit=12)
    found = selectors.next_work_day(plan, today=today)
    first = expected[0].date
    assert found[0] == first
    _same(found[1], [e for e in expected if e.date == first])
    later = TODAY + dt.timedelta(days=3)
    assert len(selectors.next_work_day(plan, today=later)[1]) == 12  # fourteen that day
    assert selectors.next_work_day(plan, today=TODAY + dt.timedelta(days=6)) is None


@pytest.mark.parametrize("today", [TODAY - dt.timedelta(days=5), TODAY, TODAY + dt.timedelta(4)])
def test_items_due_reads_what_the_orm_read(plan, today):
    views = selectors.items_due(plan, today=today)
    _same([v.item for v in views], _orm(plan, _pending(date__lte=today)))


@pytest.mark.parametrize(
    "today",
    [TODAY - dt.timedelta(days=5), TODAY, TODAY + dt.timedelta(1), TODAY + dt.timedelta(days=6)],
)
def test_items_due_and_next_reads_what_the_orm_read(plan, today):
    first_ahead = (
        PlanItem.objects.filter(plan=plan, status=PENDING, date__gte=today)
        .order_by("date")
        .values("date")[:1]
    )
    expected = _orm(plan, _pending(), Q(date__lte=today) | Q(date=Subquery(first_ahead)))
    views, upcoming = selectors.items_due_and_next(plan, today=today)
    _same([v.item for v in views], [e for e in expected if e.date <= today])
    ahead = [e for e in expected if e.date >= today]
    if not ahead:
        assert upcoming is None
    else:
        assert upcoming[0] == ahead[0].date
        _same(upcoming[1], [e for e in ahead if e.date == ahead[0].date][:12])


@pytest.mark.parametrize("start", [TODAY - dt.timedelta(days=7), TODAY, TODAY + dt.timedelta(3)])
def test_plan_days_and_the_whole_plan_read_what_the_orm_read(plan, start):
    end = start + dt.timedelta(days=6)
    days = selectors.plan_days(plan, start=start, end=end, today=TODAY, offs=set())
    _same(
        [v.item for day in days for v in day.items],
        _orm(plan, Q(date__gte=start, date__lte=end)),
    )
    weeks = selectors.plan_all_items(plan, today=TODAY)
    found = sorted((v.item for w in weeks for d in w.days for v in d.items), key=lambda i: i.pk)
    _same(found, sorted(_orm(plan), key=lambda i: i.pk))


def test_an_empty_plan_reads_nothing():
    plan = _plan_with([])
    assert selectors.next_work_day(plan, today=TODAY) is None
    assert selectors.items_due(plan, today=TODAY) == []
    assert selectors.items_due_and_next(plan, today=TODAY) == ([], None)


# --- the plan, its days off and its rollup -------------------------------------------------


def test_plan_of_reads_what_the_orm_read(plan):
    Plan.objects.filter(pk=plan.pk).update(
        weekdays=[0, 3], unscheduled=[{"module": "x", "reason": "r"}], notice={"reason": "moved"}
    )
    expected = Plan.objects.filter(user=plan.user_id).first()
    found = selectors.plan_of(plan.user_id)
    assert type(found) is Plan and not found._state.adding
    assert _fields(found) == _fields(expected)
    assert found.weekdays == [0, 3] and found.notice == {"reason": "moved"}
    assert selectors.plan_of(UserFactory(profile=None).pk) is None


def test_day_offs_reads_what_the_orm_read(plan):
    other = _plan_with([])
    for days in (-9, -3, 0, 1, 6, 30):
        DayOff.objects.create(user_id=plan.user_id, date=TODAY + dt.timedelta(days=days))
        DayOff.objects.create(user_id=other.user_id, date=TODAY + dt.timedelta(days=days + 1))
    spans = [
        (),
        ((TODAY, TODAY + dt.timedelta(days=6)),),
        ((TODAY, TODAY + dt.timedelta(days=6)), (TODAY - dt.timedelta(days=120), TODAY)),
        ((TODAY + dt.timedelta(days=2), TODAY + dt.timedelta(days=5)),),
    ]
    for span in spans:
        within = Q()
        for first, last in span:
            within |= Q(date__gte=first, date__lte=last)
        expected = set(
            DayOff.objects.filter(within, user=plan.user_id).values_list("date", flat=True)
        )
        assert selectors.day_offs(plan, *span) == expected
    assert selectors.day_offs(plan, (TODAY, TODAY)) == {TODAY}


def test_plan_rollup_reads_what_the_orm_read(plan):
    expected = list(
        PlanItem.objects.filter(plan=plan)
        .values_list("module__area", "module__slug", "status")
        .annotate(items=Count("id"), minutes=Sum("minutes"), first=Min("date"))
        .order_by()
    )
    found = selectors.plan_rollup(plan)
    assert len(expected) > 5 and any(row[3] > 1 for row in expected)
    assert sorted(found) == sorted(expected)
    assert all(type(row[4]) is int and type(row[5]) is dt.date for row in found)
    assert selectors.plan_rollup(_plan_with([])) == []


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles", "UTC"])
def test_the_streaks_active_days_are_what_the_orm_read(plan, zone):
    """Items ticked and reports around local midnight in three zones, retracted reports,
    other statuses and another user's rows: the same local days as the ORM's UNION."""
    tz = zoneinfo.ZoneInfo(zone)
    other = _plan_with([(0, DONE)])
    base = dt.datetime(2026, 3, 8, 14, 30, tzinfo=dt.UTC)
    for n, item in enumerate(PlanItem.objects.filter(plan__in=[plan, other]).order_by("id")):
        item.status = [DONE, PENDING, SKIPPED, DONE][n % 4]
        item.done_at = base + dt.timedelta(hours=5 * n)
        item.save()
    for n in range(12):
        ProgressEvent.objects.create(
            user_id=[plan.user_id, other.user_id][n % 2],
            key=f"k{n}",
            kind="drill_solved",
            area="coding",
            # The retracted ones on a day nothing else is on (the 4th, wherever).
            occurred_at=(
                dt.datetime(2026, 3, 4, 12, n, tzinfo=dt.UTC)
                if n % 5 == 0
                else base - dt.timedelta(hours=7 * n)
            ),
            retracted_at=base if n % 5 == 0 else None,
        )
    since_at = dt.datetime(2026, 3, 3, tzinfo=tz)
    expected = set(
        PlanItem.objects.filter(plan=plan, status=DONE, done_at__gte=since_at)
        .annotate(day=TruncDate("done_at", tzinfo=tz))
        .order_by()
        .values_list("day", flat=True)
        .union(
            ProgressEvent.objects.filter(
                user=plan.user_id, retracted_at__isnull=True, occurred_at__gte=since_at
            )
            .annotate(day=TruncDate("occurred_at", tzinfo=tz))
            .order_by()
            .values_list("day", flat=True)
        )
    )
    found = selectors._active_days(plan, tz, since_at)
    assert len(expected) > 3
    assert found == expected
    assert all(type(day) is dt.date for day in found)


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles", "UTC"])
def test_fixed_events_are_what_the_orm_read(plan, zone):
    """Events around local midnight at both ends of the span, in the current timezone (as
    the ``__date`` lookup reads them), and another user's: the same events in the same order."""
    other = _plan_with([])
    base = dt.datetime(2026, 3, 8, 14, 30, tzinfo=dt.UTC)
    for n in range(16):
        starts = base + dt.timedelta(hours=11 * n - 40)
        FixedEvent.objects.create(
            user_id=[plan.user_id, other.user_id][n % 3 == 2],
            key=f"k{n}",
            kind="peer_mock:ml_system_design" if n % 2 else "booking",
            title=f"Event {n}",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            url=f"/booking/{n}/",
        )
    first, last = dt.date(2026, 3, 7), dt.date(2026, 3, 10)
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        expected = list(
            FixedEvent.objects.filter(
                user=plan.user_id, starts_at__date__gte=first, starts_at__date__lte=last
            )
        )
        found = selectors._fixed_events(plan.user_id, first, last)
    assert 3 < len(expected) < 11
    assert [e.pk for e in found] == [e.pk for e in expected]
    assert [_fields(e) for e in found] == [_fields(e) for e in expected]
    assert selectors._fixed_events(plan.user_id, dt.date(2027, 1, 1), dt.date(2027, 1, 7)) == []
