"""Reads for the plan pages: each runs a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse

from curriculum.engine.scheduler import theme_week_range
from curriculum.roles import AREA_NAMES

from . import catalogue
from .models import ChecklistTick, DayOff, FixedEvent, Module, ModuleProgress, Plan, PlanItem


@lru_cache(maxsize=256)
def module_url(url_name: str, url_query: str) -> str:
    """Where a module's work is done, or "" while that page does not exist yet."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    return f"{url}?{url_query}" if url_query else url


@dataclass
class ItemView:
    item: PlanItem
    url: str
    progress: ModuleProgress | None
    checklist: list[tuple[int, str, bool]]
    is_today: bool
    is_overdue: bool


@dataclass
class DayView:
    date: dt.date
    items: list[ItemView] = field(default_factory=list)
    fixed: list[FixedEvent] = field(default_factory=list)
    is_today: bool = False
    is_off: bool = False
    is_study_day: bool = True
    in_plan: bool = True

    @property
    def minutes(self) -> int:
        return sum(v.item.minutes for v in self.items)


def _decorate(items: list[PlanItem], user, today: dt.date) -> list[ItemView]:
    module_ids = {i.module_id for i in items}
    progress = {
        p.module_id: p
        for p in ModuleProgress.objects.filter(user=user)
        if p.module_id in module_ids
    }
    ticks: dict[int, set[int]] = defaultdict(set)
    checklist_ids = [i.module_id for i in items if i.module.checklist_items]
    # Always one query each (all of the user's rows: bounded by the catalogue's size, not by
    # history), so the page's query count never depends on what today happens to hold.
    for module_id, index in ChecklistTick.objects.filter(user=user).values_list(
        "module_id", "index"
    ):
        if module_id in checklist_ids:
            ticks[module_id].add(index)
    views = []
    for item in items:
        checklist = [
            (n, text, n in ticks[item.module_id])
            for n, text in enumerate(item.module.checklist_items)
        ]
        views.append(
            ItemView(
                item=item,
                url=module_url(item.module.url_name, item.module.url_query),
                progress=progress.get(item.module_id),
                checklist=checklist,
                is_today=item.date == today,
                is_overdue=item.date < today and item.status == PlanItem.Status.PENDING,
            )
        )
    return views


def module_progress(user, modules: list[Module]) -> list[dict]:
    """Each module with the user's progress against its completion rule, in the order given:
    ``{"module", "done" (capped at the target), "target", "complete"}``. The target is the
    one the progress was counted against, or the rule's count before any report. One query."""
    rows = {
        p.module_id: p
        for p in ModuleProgress.objects.filter(user=user, module__in=[m.pk for m in modules])
    }
    out = []
    for module in modules:
        row = rows.get(module.pk)
        target = row.target if row else int(module.completion.get("count", 1))
        out.append(
            {
                "module": module,
                "done": min(row.done, target) if row else 0,
                "target": target,
                "complete": bool(row and row.complete),
            }
        )
    return out


def items_due(plan: Plan, *, today: dt.date) -> list[ItemView]:
    """The plan's items still to do up to ``today`` (overdue first, by date), decorated as
    the plan page shows them: what the dashboard's today list takes from the plan."""
    items = list(
        PlanItem.objects.filter(plan=plan, status=PlanItem.Status.PENDING, date__lte=today)
        .select_related("module")
        .order_by("date", "id")
    )
    return _decorate(items, plan.user_id, today)


def item_view(item: PlanItem, *, today: dt.date) -> ItemView:
    return _decorate([item], item.user_id, today)[0]


def plan_days(plan: Plan, *, start: dt.date, end: dt.date, today: dt.date) -> list[DayView]:
    """Each day from start to end (inclusive) with its items, fixed events and day-off state."""
    items = list(
        PlanItem.objects.filter(plan=plan, date__gte=start, date__lte=end)
        .select_related("module")
        .order_by("date", "id")
    )
    views = _decorate(items, plan.user_id, today)
    offs = set(
        DayOff.objects.filter(user=plan.user_id, date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )
    fixed = list(
        FixedEvent.objects.filter(
            user=plan.user_id,
            starts_at__date__gte=start - dt.timedelta(days=1),
            starts_at__date__lte=end + dt.timedelta(days=1),
        )
    )
    from prep.lib.localtime import zone

    tz = zone(plan.timezone)
    days = []
    day = start
    while day <= end:
        days.append(
            DayView(
                date=day,
                is_today=day == today,
                is_off=day in offs,
                is_study_day=day.weekday() in plan.weekdays,
                in_plan=plan.start <= day < plan.interview,
            )
        )
        day += dt.timedelta(days=1)
    by_date = {d.date: d for d in days}
    for view in views:
        by_date[view.item.date].items.append(view)
    week3_first, week3_end = theme_week_range(plan.start, plan.interview)
    for event in fixed:
        event.local_start = event.starts_at.astimezone(tz)
        event.local_end = event.ends_at.astimezone(tz)
        local = event.local_start.date()
        event.is_peer_mock = event.kind == PEER_MOCK_KIND
        event.in_week3 = week3_first <= local < week3_end
        if local in by_date:
            by_date[local].fixed.append(event)
    return days


PEER_MOCK_KIND = "peer_mock:ml_system_design"  # as curriculum.plans.PEER_MOCK_KIND


@dataclass
class Week3:
    """Where week 3's two peer ML system design mocks are, for the plan page."""

    first: dt.date
    last: dt.date
    study_days: int
    plan_days: int
    mocks: list[tuple[str, dt.date | None, str]]  # title, date (None: not scheduled), reason

    @property
    def has_week(self) -> bool:
        return self.study_days > 0

    @property
    def all_inside(self) -> bool:
        return all(d is not None and self.first <= d <= self.last for _, d, _ in self.mocks)


def week3(plan: Plan) -> Week3 | None:
    """Week 3 of the plan (days 15-21 of a 28-day plan) and its two peer mocks (one query)."""
    content = catalogue.content()
    try:
        template = content.template(plan.role)
    except KeyError:
        return None
    peer = []
    for slug in template.modules:
        rule = content.modules_by_slug[slug].completion
        tags = set(getattr(rule, "tags", ()))
        if {"peer", "ml_system_design"} <= tags:
            peer.append(slug)
    if not peer:
        return None
    first, end = theme_week_range(plan.start, plan.interview)
    study_days = sum(
        1
        for n in range((end - first).days)
        if (first + dt.timedelta(days=n)).weekday() in plan.weekdays
    )
    dates: dict[str, dt.date] = {}
    for slug, day in PlanItem.objects.filter(plan=plan, module__slug__in=peer).values_list(
        "module__slug", "date"
    ):
        dates.setdefault(slug, day)
    reasons = {entry["module"]: entry["reason"] for entry in plan.unscheduled}
    mocks = [
        (content.modules_by_slug[slug].title, dates.get(slug), reasons.get(slug, ""))
        for slug in peer
    ]
    days = (plan.interview - plan.start).days
    return Week3(first, end - dt.timedelta(days=1), study_days, days, mocks)


def next_work_day(plan: Plan, *, today: dt.date) -> tuple[dt.date, list[PlanItem]] | None:
    """The first day from ``today`` on with work still to do, and that day's items (one
    query): where the plan and the dashboard open, so that a Sunday sign-up does not land
    on the week that is over."""
    rows = list(
        PlanItem.objects.filter(plan=plan, status=PlanItem.Status.PENDING, date__gte=today)
        .select_related("module")
        .order_by("date", "id")[:12]
    )
    if not rows:
        return None
    first = rows[0].date
    return first, [row for row in rows if row.date == first]


def items_due_and_next(
    plan: Plan, *, today: dt.date
) -> tuple[list[ItemView], tuple[dt.date, list[PlanItem]] | None]:
    """``items_due`` and ``next_work_day`` from one read of the plan's pending items (the
    ones up to ``today`` and those of the first day from ``today`` on), plus the decoration's
    two: the dashboard asks both on every view."""
    first_ahead = (
        PlanItem.objects.filter(plan=plan, status=PlanItem.Status.PENDING, date__gte=today)
        .order_by("date")
        .values("date")[:1]
    )
    rows = list(
        PlanItem.objects.filter(plan=plan, status=PlanItem.Status.PENDING)
        .filter(Q(date__lte=today) | Q(date=Subquery(first_ahead)))
        .select_related("module")
        .order_by("date", "id")
    )
    ahead = [row for row in rows if row.date >= today]
    upcoming = None
    if ahead:
        first = ahead[0].date
        upcoming = first, [row for row in ahead if row.date == first][:12]
    return _decorate([row for row in rows if row.date <= today], plan.user_id, today), upcoming


@dataclass
class AreaProgress:
    area: str
    name: str
    done_minutes: int
    total_minutes: int

    @property
    def percent(self) -> int:
        return round(100 * self.done_minutes / self.total_minutes) if self.total_minutes else 0


def area_progress(plan: Plan) -> list[AreaProgress]:
    """Minutes done against minutes planned, per area (one query)."""
    rows = (
        PlanItem.objects.filter(plan=plan)
        .exclude(status=PlanItem.Status.SKIPPED)
        .values("module__area")
        .annotate(
            total=Sum("minutes"),
            done=Sum("minutes", filter=Q(status=PlanItem.Status.DONE)),
        )
        .order_by("module__area")
    )
    out = [
        AreaProgress(
            r["module__area"],
            AREA_NAMES.get(r["module__area"], r["module__area"]),
            r["done"] or 0,
            r["total"] or 0,
        )
        for r in rows
    ]
    order = list(AREA_NAMES)
    return sorted(out, key=lambda a: order.index(a.area) if a.area in order else 99)


def plan_totals(plan: Plan) -> dict:
    return PlanItem.objects.filter(plan=plan).aggregate(
        items=Count("id"),
        done=Count("id", filter=Q(status=PlanItem.Status.DONE)),
        minutes=Sum("minutes"),
    )


STREAK_RULE = (
    "Your streak counts the days in a row on which you did something: ticked a plan item, "
    "solved or attempted a drill, reviewed cards or finished a mock. Rest days and days off "
    "do not break it; today counts once you have done something."
)


def streak(plan: Plan, *, today: dt.date) -> int:
    """Consecutive days, ending today or yesterday (today is not over), with any activity
    in the plan's timezone: a plan item ticked done that day (by its ``done_at``, whatever
    day it was planned for) or a progress report that day. A rest day or a day off without
    activity neither breaks nor extends it; with activity it counts. See ``STREAK_RULE``."""
    import zoneinfo

    from .models import ProgressEvent

    try:
        tz = zoneinfo.ZoneInfo(plan.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    since = today - dt.timedelta(days=120)
    since_at = dt.datetime.combine(since, dt.time(), tzinfo=tz)
    # The distinct local days, from the database: a few dozen rows, not every report.
    active = set(
        PlanItem.objects.filter(plan=plan, status=PlanItem.Status.DONE, done_at__gte=since_at)
        .annotate(day=TruncDate("done_at", tzinfo=tz))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    active.update(
        ProgressEvent.objects.filter(
            user=plan.user_id, retracted_at__isnull=True, occurred_at__gte=since_at
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    offs = set(
        DayOff.objects.filter(user=plan.user_id, date__gte=since, date__lte=today).values_list(
            "date", flat=True
        )
    )
    count = 0
    day = today
    if day not in active:
        day -= dt.timedelta(days=1)  # today is not over yet
    while day >= since:
        if day in active:
            count += 1
        elif day.weekday() in plan.weekdays and day not in offs:
            break
        day -= dt.timedelta(days=1)
    return count


@dataclass
class PlanDay:
    date: dt.date
    items: list[ItemView]
    is_today: bool
    open: bool  # shown unfolded: today, or the next day with work


@dataclass
class PlanWeek:
    number: int  # theme week 1-4; 5 = the review blocks after the core
    title: str
    first: dt.date
    last: dt.date
    days: list[PlanDay]

    @property
    def minutes(self) -> int:
        return sum(v.item.minutes for d in self.days for v in d.items)


def plan_all_items(plan: Plan, *, today: dt.date) -> list[PlanWeek]:
    """The whole plan grouped by theme week as the engine defines them (week ``w`` of a
    28-day plan is days ``7(w-1)+1 .. 7w``, proportionally shorter in a shorter plan; what
    follows a longer plan's fourth week is its review), each with its theme and its days."""
    items = list(PlanItem.objects.filter(plan=plan).select_related("module").order_by("date", "id"))
    views = _decorate(items, plan.user_id, today)
    content = catalogue.content()
    bounds = []
    for number in range(1, 5):
        first, end = theme_week_range(plan.start, plan.interview, number)
        try:
            title = content.theme_title(number)
        except (KeyError, AttributeError):
            title = ""
        bounds.append((number, title, first, end))
    last_core = bounds[-1][3]
    bounds.append((5, "Review until the interview", last_core, max(last_core, plan.interview)))
    weeks: list[PlanWeek] = []
    next_open = next(
        (v.item.date for v in views if v.item.date >= today and v.item.status == "pending"), None
    )
    for number, title, first, end in bounds:
        if first >= end:
            continue
        days: dict[dt.date, PlanDay] = {}
        for view in views:
            d = view.item.date
            if first <= d < end or (number == 1 and d < first) or (number == 5 and d >= end):
                day = days.get(d)
                if day is None:
                    day = days[d] = PlanDay(d, [], d == today, d in (today, next_open))
                day.items.append(view)
        if days or number < 5:
            weeks.append(
                PlanWeek(number, title, first, end - dt.timedelta(days=1), list(days.values()))
            )
    return weeks
