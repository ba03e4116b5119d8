"""Stored plans: generation, re-planning, hand edits and the calendar seam.

The rules live in the engine core (curriculum/engine); this module turns the
database state into an engine request and the engine's answer back into rows.

Apps use three calls of the seam (ARCHITECTURE.md, vocabulary):

    plans.fix_event(user, key="booking:12", kind="peer_mock:ml_system_design",
                    starts_at=..., ends_at=...)       # a booked mock: never moved
    plans.unfix_event(user, key="booking:12")         # cancelled
    plans.reserve_minutes(user, source="flashcards:forecast",
                          minutes_by_day={date: 25, ...})
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from curriculum.engine.scheduler import (
    MIN_DAY_MINUTES as MIN_DAY_MINUTES,  # re-exported for onboarding (accounts)
)
from curriculum.engine.scheduler import (
    FixedItem,
    PlanRequest,
    ScheduledItem,
    diff_plans,
    generate_plan,
    theme_week_range,
)
from prep.lib.localtime import local_day, zone

from . import catalogue, selectors
from .models import DayOff, FixedEvent, Module, ModuleProgress, Plan, PlanItem, Reservation
from .signals import announce

PEER_MOCK_KIND = "peer_mock:ml_system_design"


class PlanError(ValueError):
    """A request the plan cannot honour (shown to the user as a message)."""


def local_today(plan: Plan, now: dt.datetime | None = None) -> dt.date:
    return local_day(zone(plan.timezone), now).date


# --------------------------------------------------------------------------- configure


@transaction.atomic
def plan_configure(
    user,
    *,
    role: str,
    interview: dt.date,
    weekly_minutes: int,
    weekdays: list[int],
    timezone_name: str,
    now: dt.datetime | None = None,
) -> Plan:
    """Create the plan, or re-plan after the profile changed (done work stays done)."""
    now = now or timezone.now()
    today = local_day(zone(timezone_name), now).date
    plan = Plan.objects.select_for_update().filter(user=user).first()
    values = {
        "role": role,
        "interview": interview,
        "weekly_minutes": weekly_minutes,
        "weekdays": sorted(weekdays),
        "timezone": timezone_name,
    }
    if plan is None:
        plan = Plan.objects.create(user=user, start=today, planned_on=today, **values)
        plan_rebuild(plan, today=today, reason="Your plan was created.", now=now)
        announce(user.pk)
        return plan
    changed = any(getattr(plan, k) != v for k, v in values.items())
    if changed:
        role_changed = plan.role != role
        for k, v in values.items():
            setattr(plan, k, v)
        if role_changed:
            plan.start = today
        plan.save()
        plan_rebuild(
            plan, today=today, reason="Your profile changed, so the plan was rebuilt.", now=now
        )
        announce(user.pk)
    return plan


# --------------------------------------------------------------------------- rebuild


def _request(
    plan: Plan,
    *,
    today: dt.date,
    keep_until: dt.date | None = None,
    keep_from: dt.date | None = None,
):
    """The engine request for ``plan`` from ``today``, with the items it must keep."""
    content = catalogue.content()
    items = list(plan.items.select_related("module"))
    modules_by_id = {i.module_id: i.module.slug for i in items}
    complete = set(
        Module.objects.filter(
            pk__in=ModuleProgress.objects.filter(user=plan.user_id, complete=True).values(
                "module_id"
            )
        ).values_list("slug", flat=True)
    )
    by_module: dict[str, list[PlanItem]] = defaultdict(list)
    for item in items:
        by_module[modules_by_id[item.module_id]].append(item)
    done: set[str] = set(complete)
    partial: dict[str, int] = {}
    for slug, module_items in by_module.items():
        statuses = {i.status for i in module_items}
        if PlanItem.Status.SKIPPED in statuses or statuses == {PlanItem.Status.DONE}:
            done.add(slug)
        else:
            spent = sum(i.minutes for i in module_items if i.status == PlanItem.Status.DONE)
            if spent:
                partial[slug] = spent
    tz = zone(plan.timezone)
    reserved: dict[dt.date, int] = defaultdict(int)
    for row in Reservation.objects.filter(
        user=plan.user_id, date__gte=today, date__lt=plan.interview
    ):
        reserved[row.date] += row.minutes
    for item in items:
        # Work already done (or skipped) on a day still to come used that day's room.
        if item.status != PlanItem.Status.PENDING and item.date >= today:
            reserved[item.date] += item.minutes
    fixed: list[FixedItem] = []
    peer_modules = [
        slug
        for week in content.template(plan.role).weeks
        for slug in week.modules
        if slug not in done and _is_peer_design_mock(content.modules_by_slug[slug])
    ]
    # A booked peer design mock counts as one of week 3's two only inside week 3; booked
    # any other day it is extra practice (its time is reserved, the two stay in week 3).
    week3_first, week3_end = theme_week_range(min(plan.start, today), plan.interview)
    for event in FixedEvent.objects.filter(user=plan.user_id, ends_at__gte=timezone.now()):
        day = event.starts_at.astimezone(tz).date()
        minutes = max(1, int((event.ends_at - event.starts_at).total_seconds() // 60))
        if not today <= day < plan.interview:
            continue
        if event.kind == PEER_MOCK_KIND and peer_modules and week3_first <= day < week3_end:
            fixed.append(FixedItem(module=peer_modules.pop(0), date=day, minutes=minutes))
        else:
            reserved[day] += minutes
    if keep_until is not None:
        # Pending items up to keep_until stay where they are (used by snooze).
        for item in items:
            slug = modules_by_id[item.module_id]
            if (
                item.status == PlanItem.Status.PENDING
                and (keep_from or today) <= item.date <= keep_until
            ):
                fixed.append(
                    FixedItem(slug, item.date, item.minutes, item.session_index, item.session_count)
                )
    days_off = frozenset(
        DayOff.objects.filter(
            user=plan.user_id, date__gte=today, date__lt=plan.interview
        ).values_list("date", flat=True)
    )
    request = PlanRequest(
        content=content,
        role=plan.role,
        start=today,
        interview=plan.interview,
        weekly_minutes=plan.weekly_minutes,
        weekdays=frozenset(plan.weekdays),
        days_off=days_off,
        reserved=dict(reserved),
        done=frozenset(done),
        partial=partial,
        fixed=tuple(_dedupe_fixed(fixed)),
        anchor=min(plan.start, today),
    )
    return request, items, modules_by_id


def _dedupe_fixed(fixed: list[FixedItem]) -> list[FixedItem]:
    seen, out = set(), []
    for item in sorted(fixed, key=lambda f: (f.date, f.module, f.session_index)):
        if (item.module, item.session_index) not in seen:
            seen.add((item.module, item.session_index))
            out.append(item)
    return out


def _is_peer_design_mock(module) -> bool:
    rule = module.completion
    return (
        getattr(rule, "event", None) == "mock_completed"
        and "peer" in getattr(rule, "tags", ())
        and "ml_system_design" in getattr(rule, "tags", ())
    )


@transaction.atomic
def plan_rebuild(
    plan: Plan,
    *,
    today: dt.date,
    reason: str,
    now: dt.datetime | None = None,
    keep_until: dt.date | None = None,
) -> list[dict]:
    """Re-plan from ``today``: done and skipped items stay, pending ones are placed anew.

    Missed items roll forward into the next days with room; booked mocks (fixed events)
    keep their date. Returns (and stores as the plan's notice) what moved.
    """
    now = now or timezone.now()
    if today >= plan.interview:
        plan.planned_on = today
        plan.notice = {
            "reason": "Your interview date has passed; set a new one in Settings to plan again.",
            "moves": [],
            "at": now.isoformat(),
        }
        plan.save(update_fields=["planned_on", "notice", "rebuilt_at"])
        return []
    start = today
    if keep_until is not None:
        # Snooze: what is pending up to keep_until stays put; everything else starts after it.
        start = keep_until + dt.timedelta(days=1)
    request, items, modules_by_id = _request(
        plan, today=start, keep_until=keep_until, keep_from=today
    )
    result = generate_plan(request)
    module_ids = dict(
        Module.objects.filter(slug__in={i.module for i in result.items}).values_list("slug", "pk")
    )
    pending = [i for i in items if i.status == PlanItem.Status.PENDING]
    old = [
        ScheduledItem(
            modules_by_id[i.module_id],
            i.date,
            i.minutes,
            i.session_index,
            i.session_count,
            i.week,
            i.module.area,
            i.module.kind,
        )
        for i in pending
    ]
    PlanItem.objects.filter(pk__in=[i.pk for i in pending]).delete()
    new_rows = [
        PlanItem(
            plan=plan,
            user_id=plan.user_id,
            module_id=module_ids[s.module],
            date=s.date,
            minutes=s.minutes,
            session_index=s.session_index,
            session_count=s.session_count,
            week=s.week,
        )
        for s in result.items
        if s.module in module_ids
    ]
    PlanItem.objects.bulk_create(new_rows)
    titles = dict(
        Module.objects.filter(slug__in=[slug for slug, _ in result.unscheduled]).values_list(
            "slug", "title"
        )
    )
    plan.unscheduled = [
        {"module": slug, "title": titles.get(slug, slug), "reason": reason_text}
        for slug, reason_text in result.unscheduled
    ]
    by_slug = catalogue.content().modules_by_slug
    moves = [
        {
            "module": m.module,
            "title": by_slug[m.module].title,
            "old": m.old_date.isoformat(),
            "new": m.new_date.isoformat() if m.new_date else None,
            "old_label": _day_label(m.old_date),
            "new_label": _day_label(m.new_date) if m.new_date else "not scheduled",
        }
        for m in diff_plans(old, result.items)
        # Only what the user had already seen somewhere else counts as "moved".
        if m.module in by_slug and m.old_date is not None
    ]
    plan.notice = {"reason": reason, "moves": moves, "at": now.isoformat()}
    plan.planned_on = today
    plan.content_checksum = request.content.checksum
    plan.save()
    return moves


def _day_label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def plan_for_reading(user, *, now: dt.datetime | None = None) -> Plan | None:
    """The user's plan, for a page that shows it; in the embedded default (no beat,
    ``PREP_ROLL_FORWARD_ON_READ``), first rolled forward if days were missed since it was
    last planned.

    This is the one write a page view may make (tests/test_get_writes_nothing.py): the daily
    roll-forward, done by ``plan_refresh_if_missed`` at most once per plan and local day
    (``planned_on`` records the day). Where beat runs, its hourly ``replan_missed`` does it
    for everyone and a page view only reads. Costs one query when nothing needs doing.
    """
    plan = selectors.plan_of(user.pk)
    if plan is None:
        return None
    today = local_today(plan, now)
    if plan.planned_on < today and settings.PREP_ROLL_FORWARD_ON_READ:
        plan_refresh_if_missed(plan, today=today, now=now)
    return plan


def plan_refresh_if_missed(plan: Plan, *, today: dt.date, now: dt.datetime | None = None) -> bool:
    """Roll missed items forward (idempotent: a plan with nothing missed is only stamped)."""
    missed = PlanItem.objects.filter(
        plan=plan, status=PlanItem.Status.PENDING, date__lt=today
    ).count()
    if missed:
        plan_rebuild(
            plan,
            today=today,
            now=now,
            reason=f"{missed} missed item{'s' if missed != 1 else ''} rolled forward to the next days with room.",
        )
        return True
    Plan.objects.filter(pk=plan.pk).update(planned_on=today)
    plan.planned_on = today
    return False


def replan_missed_all(*, now: dt.datetime | None = None) -> int:
    """The nightly job: re-plan every plan with missed items. Returns how many moved."""
    now = now or timezone.now()
    count = 0
    for plan in Plan.objects.iterator():
        today = local_today(plan, now)
        if plan.planned_on < today and plan_refresh_if_missed(plan, today=today, now=now):
            count += 1
    return count


# --------------------------------------------------------------------------- hand edits


def _refresh_module(item: PlanItem) -> None:
    from . import progress

    progress.refresh(item.user, slugs={item.module.slug})


@transaction.atomic
def item_complete(*, item: PlanItem) -> PlanItem:
    item.status, item.done_at, item.auto_done = PlanItem.Status.DONE, timezone.now(), False
    item.save(update_fields=["status", "done_at", "auto_done"])
    announce(item.user_id)
    return item


@transaction.atomic
def item_reopen(*, item: PlanItem) -> PlanItem:
    item.status, item.done_at, item.auto_done = PlanItem.Status.PENDING, None, False
    item.save(update_fields=["status", "done_at", "auto_done"])
    announce(item.user_id)
    return item


@transaction.atomic
def item_skip(*, item: PlanItem) -> PlanItem:
    item.status, item.done_at, item.auto_done = PlanItem.Status.SKIPPED, None, False
    item.save(update_fields=["status", "done_at", "auto_done"])
    announce(item.user_id)
    return item


@transaction.atomic
def item_snooze(*, item: PlanItem, now: dt.datetime | None = None) -> list[dict]:
    """Move a pending item to a later day with room; what is before it stays put."""
    if item.status != PlanItem.Status.PENDING:
        raise PlanError("Only an item still to do can be snoozed.")
    plan = item.plan
    today = local_today(plan, now)
    if item.date < today:
        raise PlanError("This item is in the past; it rolls forward by itself.")
    if booked_event(item) is not None:
        raise PlanError(
            "This mock is booked with a peer: it moves only with its booking. "
            "Reschedule or cancel it from Bookings."
        )
    next_day = item.date + dt.timedelta(days=1)
    if next_day >= plan.interview:
        raise PlanError("There is no day left before the interview to move this to.")
    # Everything pending up to the item's day stays where it is; the item and all after it
    # are placed from the next day on.
    item.delete()
    moves = plan_rebuild(
        plan,
        today=today,
        now=now,
        keep_until=next_day - dt.timedelta(days=1),
        reason="Snoozed: the item moved to the next day with room.",
    )
    return moves


def booked_event(item: PlanItem) -> FixedEvent | None:
    """The booking a peer mock item stands for (same module kind, same local day), if any."""
    content = catalogue.content()
    module = content.modules_by_slug.get(item.module.slug)
    if module is None or not _is_peer_design_mock(module):
        return None
    tz = zone(item.plan.timezone)
    for event in FixedEvent.objects.filter(user=item.user_id, kind=PEER_MOCK_KIND):
        if event.starts_at.astimezone(tz).date() == item.date:
            return event
    return None


@transaction.atomic
def checklist_tick(*, item: PlanItem, index: int, ticked: bool) -> None:
    from .models import ChecklistTick

    if not 0 <= index < len(item.module.checklist_items):
        raise PlanError("No such checklist entry.")
    if ticked:
        ChecklistTick.objects.get_or_create(user_id=item.user_id, module=item.module, index=index)
    else:
        ChecklistTick.objects.filter(user_id=item.user_id, module=item.module, index=index).delete()
    _refresh_module(item)
    announce(item.user_id)


@transaction.atomic
def day_off_set(user, *, day: dt.date, off: bool, now: dt.datetime | None = None) -> list[dict]:
    """Mark (or unmark) a day off; the plan moves around it."""
    plan = Plan.objects.select_for_update().get(user=user)
    today = local_today(plan, now)
    if day < today:
        raise PlanError("A day in the past cannot be changed.")
    if day >= plan.interview:
        raise PlanError("That day is after your interview.")
    if off:
        DayOff.objects.get_or_create(user=user, date=day)
    else:
        DayOff.objects.filter(user=user, date=day).delete()
    label = day.strftime("%A %-d %B")
    return plan_rebuild(
        plan,
        today=today,
        now=now,
        reason=f"{label} is now a day off; its items moved."
        if off
        else f"{label} is a study day again.",
    )


# --------------------------------------------------------------------------- seam


@transaction.atomic
def fix_event(
    user,
    *,
    key: str,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    title: str = "",
    url: str = "",
) -> None:
    """A booked event (a peer mock) at a fixed time: reserved in the plan, never moved."""
    if ends_at <= starts_at:
        raise PlanError("A fixed event must end after it starts.")
    FixedEvent.objects.update_or_create(
        user=user,
        key=key,
        defaults={
            "kind": kind,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "title": title,
            "url": url,
        },
    )
    _rebuild_if_planned(
        user, reason=f"{title or 'A booked session'} was added; the plan moved around it."
    )


def retitle_event(user, *, key: str, title: str, url: str | None = None) -> None:
    """Rename a fixed event (and change its link) without moving anything in the plan."""
    changes = {"title": title} if url is None else {"title": title, "url": url}
    FixedEvent.objects.filter(user=user, key=key).update(**changes)


@transaction.atomic
def unfix_event(user, *, key: str) -> None:
    deleted, _ = FixedEvent.objects.filter(user=user, key=key).delete()
    if deleted:
        _rebuild_if_planned(user, reason="A booked session was cancelled; the plan was rebuilt.")


@transaction.atomic
def reserve_minutes(user, *, source: str, minutes_by_day: Mapping[dt.date, int]) -> None:
    """Replace the minutes ``source`` reserves per day (e.g. the forecast review load)."""
    Reservation.objects.filter(user=user, source=source).exclude(
        date__in=list(minutes_by_day)
    ).delete()
    existing = {r.date: r for r in Reservation.objects.filter(user=user, source=source)}
    changed = False
    for day, minutes in minutes_by_day.items():
        minutes = max(0, int(minutes))
        row = existing.get(day)
        if row is None:
            if minutes:
                Reservation.objects.create(user=user, source=source, date=day, minutes=minutes)
                changed = True
        elif row.minutes != minutes:
            row.minutes = minutes
            row.save(update_fields=["minutes"])
            changed = True
    if changed:
        _rebuild_if_planned(
            user, reason="Your review load changed; new work was re-planned around it."
        )


def _rebuild_if_planned(user, *, reason: str) -> None:
    plan = Plan.objects.filter(user=user).first()
    if plan is not None:
        plan_rebuild(plan, today=local_today(plan), reason=reason)


def calendar_token_regenerate(*, plan: Plan) -> Plan:
    from .models import new_calendar_token

    plan.calendar_token = new_calendar_token()
    plan.save(update_fields=["calendar_token"])
    return plan
