"""Reads for the plan pages: each runs a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse

from curriculum.roles import AREA_NAMES

from .models import ChecklistTick, DayOff, FixedEvent, ModuleProgress, Plan, PlanItem


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
    for event in fixed:
        local = event.starts_at.astimezone(tz).date()
        if local in by_date:
            by_date[local].fixed.append(event)
    return days


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


def streak(plan: Plan, *, today: dt.date) -> int:
    """Consecutive study days, ending today or yesterday, on which a planned item was done.

    Days that are not study days (or are days off) neither break nor extend the streak.
    """
    since = today - dt.timedelta(days=120)
    done_days = set(
        PlanItem.objects.filter(
            plan=plan, status=PlanItem.Status.DONE, date__gte=since, date__lte=today
        )
        .values_list("date", flat=True)
        .distinct()
    )
    offs = set(
        DayOff.objects.filter(user=plan.user_id, date__gte=since, date__lte=today).values_list(
            "date", flat=True
        )
    )
    count = 0
    day = today
    if day not in done_days:
        day -= dt.timedelta(days=1)  # today is not over yet
    while day >= since:
        if day.weekday() not in plan.weekdays or day in offs:
            day -= dt.timedelta(days=1)
            continue
        if day in done_days:
            count += 1
            day -= dt.timedelta(days=1)
            continue
        break
    return count


def plan_all_items(plan: Plan, *, today: dt.date) -> list[tuple[int, list[ItemView]]]:
    """The whole plan, grouped by plan week (1-based, counted from the plan's start)."""
    items = list(PlanItem.objects.filter(plan=plan).select_related("module").order_by("date", "id"))
    views = _decorate(items, plan.user_id, today)
    weeks: dict[int, list[ItemView]] = defaultdict(list)
    for view in views:
        weeks[(view.item.date - plan.start).days // 7 + 1].append(view)
    return sorted(weeks.items())
