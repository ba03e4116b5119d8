"""Reads for the plan pages: each runs a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, connections, router
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from curriculum.engine.scheduler import theme_week_range
from curriculum.roles import AREA_NAMES
from prep.lib import rows as raw_rows

from . import catalogue
from .models import (
    ChecklistTick,
    DayOff,
    FixedEvent,
    Module,
    ModuleProgress,
    Plan,
    PlanItem,
    ProgressEvent,
)


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
    """A plan item as the pages show it (``templates/curriculum/_item.html``): the values
    its markup needs, read and formatted once here, and its action URLs built from URLs
    reversed once per process (``_item_urls``), not per item and per form."""

    item: PlanItem
    url: str
    progress: ModuleProgress | None  # module_id, done and target only (_progress_and_ticks)
    checklist: list[tuple[int, str, bool]]
    is_today: bool
    is_overdue: bool
    id: str = ""  # the item's pk, as text
    title: str = ""
    area: str = ""
    area_name: str = ""
    slug: str = ""
    description: str = ""
    status: str = ""
    minutes: str = ""
    part: str = ""  # "part 2 of 3" for a module split into sessions
    auto_done: bool = False
    date: str = ""  # YYYY-MM-DD
    checklist_url: str = ""
    complete_url: str = ""
    snooze_url: str = ""
    skip_url: str = ""
    reopen_url: str = ""


# Stands for an item's pk in a URL reversed once: each item's URL is that URL with its pk in
# this place. No item has this pk (it is the largest an integer column holds).
_PK_MARK = str(2**31 - 1)
_ITEM_URLS = {
    "checklist": ("curriculum:item_checklist", ()),
    "complete": ("curriculum:item_action", ("complete",)),
    "snooze": ("curriculum:item_action", ("snooze",)),
    "skip": ("curriculum:item_action", ("skip",)),
    "reopen": ("curriculum:item_action", ("reopen",)),
}


@lru_cache(maxsize=8)
def _item_url_parts(prefix: str, urlconf: str | None) -> dict[str, tuple[str, str]]:
    parts = {}
    for key, (name, args) in _ITEM_URLS.items():
        head, mark, tail = reverse(name, args=[_PK_MARK, *args], urlconf=urlconf).rpartition(
            _PK_MARK
        )
        assert mark, name
        parts[key] = (head, tail)
    return parts


def _item_urls() -> dict[str, tuple[str, str]]:
    """Each item action's URL as (before the pk, after it), for this request's script
    prefix and URLconf (what ``reverse`` itself depends on)."""
    return _item_url_parts(get_script_prefix(), get_urlconf())


@dataclass
class DayView:
    date: dt.date
    items: list[ItemView] = field(default_factory=list)
    fixed: list[FixedEvent] = field(default_factory=list)
    is_today: bool = False
    is_off: bool = False
    is_study_day: bool = True
    in_plan: bool = True
    # The date as the week page shows it, formatted once (as the date filter would).
    iso: str = ""  # 2026-12-07
    label: str = ""  # Monday 7 December
    name: str = ""  # Mon
    day_month: str = ""  # 7 Dec
    short: str = ""  # Mon 7

    @property
    def minutes(self) -> int:
        return sum(v.item.minutes for v in self.items)


# The user's module progress and checklist ticks, read together for the items a page shows.
PROGRESS_AND_TICKS_SQL = """
SELECT 0, module_id, done, target FROM {progress} WHERE user_id = %(user)s
UNION ALL
SELECT 1, module_id, {index}, 0 FROM {ticks} WHERE user_id = %(user)s
"""


def _progress_and_ticks(user_id: int) -> tuple[dict[int, ModuleProgress], dict[int, set[int]]]:
    """Every ModuleProgress of the user (with ``module_id``, ``done`` and ``target``: what an
    item shows) and their ticked checklist lines by module, in one statement (all of the
    user's rows, bounded by the catalogue's size, not by history, so the page's query count
    never depends on what today holds). Raw SQL: the ORM's two reads cost several times its
    CPU on every plan and dashboard view."""
    qn = connection.ops.quote_name
    sql = PROGRESS_AND_TICKS_SQL.format(
        progress=qn(ModuleProgress._meta.db_table),
        ticks=qn(ChecklistTick._meta.db_table),
        index=qn(ChecklistTick._meta.get_field("index").column),
    )
    progress: dict[int, ModuleProgress] = {}
    ticks: dict[int, set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user_id})
        for part, module_id, value, target in cursor.fetchall():
            if part == 0:
                progress[module_id] = ModuleProgress(
                    user_id=user_id, module_id=module_id, done=value, target=target
                )
            else:
                ticks[module_id].add(value)
    return progress, ticks


def plan_of(user_id: int) -> Plan | None:
    """The user's plan, or None (``Plan.objects.filter(user=...).first()``, in raw SQL for its
    CPU on every plan and dashboard view; tests/curriculum/test_selectors_items.py). One query."""
    db = connections[router.db_for_read(Plan)]
    qn = db.ops.quote_name
    sql = (
        f"SELECT {raw_rows.columns(Plan, 'p', qn)} FROM {qn(Plan._meta.db_table)} p "
        "WHERE p.user_id = %s"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    return None if row is None else raw_rows.reader(Plan, "p", db)(row)


# The plan's items with their modules, as ``PlanItem.objects.filter(plan=...)
# .select_related("module").order_by("date", "id")`` gives them, under a condition on the
# items (alias ``i``): the pages' reads of a plan's items (the next day with work, a week's
# days, what is due) are each this statement with its own condition. Raw SQL: the ORM's
# statement cost several times its running in CPU on every plan and dashboard view.
# tests/curriculum/test_selectors_items.py holds each read to the ORM statement it replaced.
ITEMS_SQL = """
SELECT {items}, {modules} FROM {item_table} i JOIN {module_table} m ON m.id = i.module_id
WHERE i.plan_id = %(plan)s AND ({where}) ORDER BY i."date", i.id
"""
_items_sql: dict[str, str] = {}
PENDING_SINCE = 'i.status = %(pending)s AND i."date" >= %(today)s'
PENDING_UNTIL = 'i.status = %(pending)s AND i."date" <= %(today)s'


def _items_with_modules(plan: Plan, where: str, *, limit: int | None = None, **dates):
    """The plan's items meeting ``where`` (on the items' alias ``i``; its parameters are
    ``%(plan)s``, ``%(pending)s`` and the ``dates``; ``{item_table}`` names the items' table),
    each with ``item.module`` loaded. One query."""
    db = connections[router.db_for_read(PlanItem)]
    qn = db.ops.quote_name
    template = _items_sql.get(db.vendor)
    if template is None:
        template = _items_sql[db.vendor] = ITEMS_SQL.format(
            items=raw_rows.columns(PlanItem, "i", qn),
            modules=raw_rows.columns(Module, "m", qn),
            item_table=qn(PlanItem._meta.db_table),
            module_table=qn(Module._meta.db_table),
            where="{where}",
        )
    where = where.format(item_table=qn(PlanItem._meta.db_table))
    sql = template.format(where=where) + (f" LIMIT {int(limit)}" if limit is not None else "")
    params = {"plan": plan.pk, "pending": PlanItem.Status.PENDING.value}
    for name, day in dates.items():  # as the ORM passes a date to this database
        params[name] = db.ops.adapt_datefield_value(day)
    n_item = raw_rows.width(PlanItem)
    item_from, module_from = raw_rows.reader(PlanItem, "i", db), raw_rows.reader(Module, "m", db)
    items = []
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            item = item_from(row[:n_item])
            PlanItem.module.field.set_cached_value(item, module_from(row[n_item:]))
            items.append(item)
    return items


def _decorate(items: list[PlanItem], user_id: int, today: dt.date) -> list[ItemView]:
    progress, ticks = _progress_and_ticks(user_id)
    urls = _item_urls()
    views = []
    for item in items:
        module = item.module
        pk = str(item.pk)
        pending = item.status == PlanItem.Status.PENDING
        views.append(
            ItemView(
                item=item,
                url=module_url(module.url_name, module.url_query),
                progress=progress.get(item.module_id),
                checklist=[
                    (n, text, n in ticks[item.module_id])
                    for n, text in enumerate(module.checklist_items)
                ],
                is_today=item.date == today,
                is_overdue=item.date < today and pending,
                id=pk,
                title=module.title,
                area=module.area,
                area_name=module.area_name,
                slug=module.slug,
                description=module.description,
                status=item.status,
                minutes=str(item.minutes),
                part=(
                    f"part {item.session_index} of {item.session_count}"
                    if item.session_count > 1
                    else ""
                ),
                auto_done=item.auto_done,
                date=item.date.isoformat(),
                checklist_url=pk.join(urls["checklist"]),
                complete_url=pk.join(urls["complete"]) if pending else "",
                snooze_url=pk.join(urls["snooze"]) if pending else "",
                skip_url=pk.join(urls["skip"]) if pending else "",
                reopen_url="" if pending else pk.join(urls["reopen"]),
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
    items = _items_with_modules(plan, PENDING_UNTIL, today=today)
    return _decorate(items, plan.user_id, today)


def item_view(item: PlanItem, *, today: dt.date) -> ItemView:
    return _decorate([item], item.user_id, today)[0]


# The days off in some spans: ``DayOff.objects.filter(<spans>, user=...).values_list("date")``
# in raw SQL, for its CPU on every plan view (tests/curriculum/test_selectors_items.py).
DAY_OFFS_SQL = 'SELECT d."date" FROM {table} d WHERE d.user_id = %(user)s AND ({within})'


def day_offs(plan: Plan, *spans: tuple[dt.date, dt.date]) -> set[dt.date]:
    """The user's days off within any of the (first, last) ``spans``, inclusive (one query;
    every day off without spans)."""
    db = connections[router.db_for_read(DayOff)]
    params: dict = {"user": plan.user_id}
    within = []
    for n, (first, last) in enumerate(spans):
        within.append(f'(d."date" >= %(first{n})s AND d."date" <= %(last{n})s)')
        params[f"first{n}"] = db.ops.adapt_datefield_value(first)
        params[f"last{n}"] = db.ops.adapt_datefield_value(last)
    sql = DAY_OFFS_SQL.format(
        table=db.ops.quote_name(DayOff._meta.db_table), within=" OR ".join(within) or "1 = 1"
    )
    day = raw_rows.converter(DayOff._meta.get_field("date"), "d", db)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return {day(value) for (value,) in cursor.fetchall()}


def plan_days(
    plan: Plan,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    offs: set[dt.date] | None = None,
) -> list[DayView]:
    """Each day from start to end (inclusive) with its items, fixed events and day-off state
    (four queries; three given ``offs``, the user's days off over those days)."""
    items = _items_with_modules(
        plan, 'i."date" >= %(start)s AND i."date" <= %(end)s', start=start, end=end
    )
    views = _decorate(items, plan.user_id, today)
    if offs is None:
        offs = day_offs(plan, (start, end))
    fixed = _fixed_events(plan.user_id, start - dt.timedelta(days=1), end + dt.timedelta(days=1))
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
                iso=day.isoformat(),
                label=date_format(day, "l j F"),
                name=date_format(day, "D"),
                day_month=date_format(day, "j M"),
                short=date_format(day, "D j"),
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


def _fixed_events(user_id: int, first: dt.date, last: dt.date) -> list[FixedEvent]:
    """The user's fixed events starting from ``first`` to ``last`` (inclusive) by their date
    in the current timezone, by start: ``FixedEvent.objects.filter(user=...,
    starts_at__date__gte=first, starts_at__date__lte=last)`` in raw SQL, for its CPU on every
    plan view (the date as the ``__date`` lookup asks the backend for it). One query;
    tests/curriculum/test_selectors_items.py holds it to the ORM statement."""
    db = connections[router.db_for_read(FixedEvent)]
    qn = db.ops.quote_name
    day, day_params = db.ops.datetime_cast_date_sql(
        "f.starts_at", (), timezone.get_current_timezone_name()
    )
    sql = (
        f"SELECT {raw_rows.columns(FixedEvent, 'f', qn)} FROM {qn(FixedEvent._meta.db_table)} f "
        f"WHERE f.user_id = %s AND {day} >= %s AND {day} <= %s ORDER BY f.starts_at, f.id"
    )
    params = [
        user_id,
        *day_params, db.ops.adapt_datefield_value(first),
        *day_params, db.ops.adapt_datefield_value(last),
    ]  # fmt: skip
    event = raw_rows.reader(FixedEvent, "f", db)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return [event(row) for row in cursor.fetchall()]


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


def week3(plan: Plan, *, rollup: list[tuple] | None = None) -> Week3 | None:
    """Week 3 of the plan (days 15-21 of a 28-day plan) and its two peer mocks, each on the
    first date the plan has it (one query, none given the plan's ``rollup``)."""
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
    for _area, slug, _status, _items, _minutes, day in (
        plan_rollup(plan) if rollup is None else rollup
    ):
        if slug in peer and (slug not in dates or day < dates[slug]):
            dates[slug] = day
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
    rows = _items_with_modules(plan, PENDING_SINCE, today=today, limit=12)
    if not rows:
        return None
    first = rows[0].date
    return first, [row for row in rows if row.date == first]


# Pending up to today, or on the first day from today on with a pending item.
DUE_AND_NEXT = (
    'i.status = %(pending)s AND (i."date" <= %(today)s OR i."date" = (SELECT MIN(a."date") '
    "FROM {item_table} a WHERE a.plan_id = %(plan)s AND a.status = %(pending)s "
    'AND a."date" >= %(today)s))'
)


def items_due_and_next(
    plan: Plan, *, today: dt.date
) -> tuple[list[ItemView], tuple[dt.date, list[PlanItem]] | None]:
    """``items_due`` and ``next_work_day`` from one read of the plan's pending items (the
    ones up to ``today`` and those of the first day from ``today`` on), plus the decoration's
    two: the dashboard asks both on every view."""
    rows = _items_with_modules(plan, DUE_AND_NEXT, today=today)
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


ROLLUP_SQL = """
SELECT m.area, m.slug, i.status, COUNT(i.id), SUM(i.minutes), MIN(i."date")
FROM {items} i JOIN {modules} m ON m.id = i.module_id WHERE i.plan_id = %(plan)s
GROUP BY m.area, m.slug, i.status
"""


def plan_rollup(plan: Plan) -> list[tuple]:
    """The plan's items counted once by area, module and status (one query; a row per
    module and status, so bounded by the catalogue, not by the plan's length):
    ``(area, slug, status, items, minutes, first date)``, in no particular order. The
    progress by area, the totals and week 3's peer mock dates are all read from it
    (``area_progress``, ``plan_totals``, ``week3`` take it as ``rollup=``, so a page that
    shows all three reads the rows once). Raw SQL for its CPU on every plan view; the ORM
    statement it stands for is in tests/curriculum/test_selectors_items.py."""
    db = connections[router.db_for_read(PlanItem)]
    qn = db.ops.quote_name
    sql = ROLLUP_SQL.format(items=qn(PlanItem._meta.db_table), modules=qn(Module._meta.db_table))
    first = raw_rows.converter(PlanItem._meta.get_field("date"), "i", db)
    with db.cursor() as cursor:
        cursor.execute(sql, {"plan": plan.pk})
        return [
            (area, slug, status, items, minutes, first(day))
            for area, slug, status, items, minutes, day in cursor.fetchall()
        ]


def area_progress(plan: Plan, *, rollup: list[tuple] | None = None) -> list[AreaProgress]:
    """Minutes done against minutes planned, per area, skipped items left out (one query,
    none given the plan's ``rollup``)."""
    rows = plan_rollup(plan) if rollup is None else rollup
    minutes: dict[str, list[int]] = {}
    for area, _slug, status, _items, total, _first in rows:
        if status == PlanItem.Status.SKIPPED:
            continue
        done_total = minutes.setdefault(area, [0, 0])
        done_total[1] += total or 0
        if status == PlanItem.Status.DONE:
            done_total[0] += total or 0
    out = [
        AreaProgress(area, AREA_NAMES.get(area, area), done, total)
        for area, (done, total) in sorted(minutes.items())
    ]
    order = list(AREA_NAMES)
    return sorted(out, key=lambda a: order.index(a.area) if a.area in order else 99)


def plan_totals(plan: Plan, *, rollup: list[tuple] | None = None) -> dict:
    """``{"items", "done", "minutes"}`` over every item, skipped ones too (``minutes`` is None
    for a plan without items). One query, none given the plan's ``rollup``."""
    rows = plan_rollup(plan) if rollup is None else rollup
    return {
        "items": sum(row[3] for row in rows),
        "done": sum(row[3] for row in rows if row[2] == PlanItem.Status.DONE),
        "minutes": sum(row[4] or 0 for row in rows) if rows else None,
    }


STREAK_DAYS = dt.timedelta(days=120)  # how far back a streak is looked for

STREAK_RULE = (
    "Your streak counts the days in a row on which you did something: ticked a plan item, "
    "solved or attempted a drill, reviewed cards or finished a mock. Rest days and days off "
    "do not break it; today counts once you have done something."
)


def streak(plan: Plan, *, today: dt.date, offs: set[dt.date] | None = None) -> int:
    """Consecutive days, ending today or yesterday (today is not over), with any activity
    in the plan's timezone: a plan item ticked done that day (by its ``done_at``, whatever
    day it was planned for) or a progress report that day. A rest day or a day off without
    activity neither breaks nor extends it; with activity it counts. See ``STREAK_RULE``.
    Two queries; one given ``offs``, the user's days off over ``STREAK_DAYS`` up to today
    (``day_offs``)."""
    import zoneinfo

    try:
        tz = zoneinfo.ZoneInfo(plan.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    since = today - STREAK_DAYS
    active = _active_days(plan, tz, dt.datetime.combine(since, dt.time(), tzinfo=tz))
    if offs is None:
        offs = day_offs(plan, (since, today))
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


def _active_days(plan: Plan, tz, since_at: dt.datetime) -> set[dt.date]:
    """The distinct local days (in ``tz``) from ``since_at`` on with a plan item ticked done
    or an unretracted progress report: a few dozen rows from the database in one UNION, not
    every report. Raw SQL for its CPU on every plan view; the database's local date is the
    one the ORM's ``TruncDate(..., tzinfo=tz)`` asks for (the backend's own
    ``datetime_cast_date_sql``). tests/curriculum/test_selectors_items.py holds it to the
    ORM statement."""
    db = connections[router.db_for_read(PlanItem)]
    qn = db.ops.quote_name
    tzname = timezone._get_timezone_name(tz)  # as TruncDate names it to the database
    done_day, done_params = db.ops.datetime_cast_date_sql("i.done_at", (), tzname)
    event_day, event_params = db.ops.datetime_cast_date_sql("e.occurred_at", (), tzname)
    since = db.ops.adapt_datetimefield_value(since_at)
    sql = (
        f"SELECT {done_day} FROM {qn(PlanItem._meta.db_table)} i "
        "WHERE i.plan_id = %s AND i.status = %s AND i.done_at >= %s "
        f"UNION SELECT {event_day} FROM {qn(ProgressEvent._meta.db_table)} e "
        "WHERE e.user_id = %s AND e.retracted_at IS NULL AND e.occurred_at >= %s"
    )
    params = [
        *done_params, plan.pk, PlanItem.Status.DONE.value, since,
        *event_params, plan.user_id, since,
    ]  # fmt: skip
    # The local dates as a DateField's values (a string on SQLite).
    day = raw_rows.converter(PlanItem._meta.get_field("date"), "i", db)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return {day(value) for (value,) in cursor.fetchall()}


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
    items = _items_with_modules(plan, "1 = 1")
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


@dataclass
class WeekPage:
    """What the plan's week page shows besides its header (``week_page``)."""

    days: list[DayView]
    areas: list[AreaProgress]
    totals: dict
    streak: int
    week3: Week3 | None


def week_page(plan: Plan, *, start: dt.date, today: dt.date) -> WeekPage:
    """The week from ``start`` (seven days) with the plan's progress by area, totals, streak
    and week 3, in a fixed number of queries (eight): the item rows the progress, the totals
    and week 3 are counted from are read once (``plan_rollup``), and so are the days off
    the week and the streak both need."""
    end = start + dt.timedelta(days=6)
    offs = day_offs(plan, (start, end), (today - STREAK_DAYS, today))
    rollup = plan_rollup(plan)
    return WeekPage(
        days=plan_days(plan, start=start, end=end, today=today, offs=offs),
        areas=area_progress(plan, rollup=rollup),
        totals=plan_totals(plan, rollup=rollup),
        streak=streak(plan, today=today, offs=offs),
        week3=week3(plan, rollup=rollup),
    )
