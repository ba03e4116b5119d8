"""The progress seam: how apps report activity to the curriculum.

    from curriculum import progress
    progress.record(user, key=f"drills:attempt:{attempt.pk}", area="coding",
                    kind="drill_solved", tags=("sliding_window", "medium"),
                    occurred_at=attempt.finished_at)
    progress.retract(user, key=f"drills:attempt:{attempt.pk}")

    # Many at once (an import): the same end state as one record()/retract() per report,
    # in a fixed number of queries.
    progress.record_many(user, [progress.Report(key=..., area=..., kind=..., tags=...,
                                                occurred_at=...), ...], retract=[key, ...])

``key`` makes every report idempotent: a repeated report changes nothing, a
retracted one no longer counts (and un-completes what it completed). Completion
rules of the modules (curriculum/content) are matched against the reports; plan
items complete by themselves when their module's rule is met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from curriculum.engine.rules import Event, evaluate, matches
from curriculum.roles import AREAS, PROGRESS_KINDS

from . import catalogue
from .models import ChecklistTick, Module, ModuleProgress, PlanItem, ProgressEvent
from .signals import announce


class ProgressError(ValueError):
    """A report that breaks the seam's contract (unknown kind or area, empty key)."""


def record(
    user,
    *,
    key: str,
    area: str,
    kind: str,
    tags: Iterable[str] = (),
    amount: int = 1,
    occurred_at: dt.datetime,
) -> bool:
    """Record an activity once per ``key``; returns whether anything changed."""
    _check(key=key, area=area, kind=kind)
    tags = sorted(set(tags))
    with transaction.atomic():
        event, created = ProgressEvent.objects.get_or_create(
            user=user,
            key=key,
            defaults={
                "kind": kind,
                "area": area,
                "tags": tags,
                "amount": amount,
                "occurred_at": occurred_at,
            },
        )
        if not created:
            if event.retracted_at is None:
                return False
            # A report made again after its retraction counts again.
            old_kind = event.kind
            event.kind, event.area, event.tags = kind, area, tags
            event.amount, event.occurred_at, event.retracted_at = amount, occurred_at, None
            event.save()
            if old_kind != kind:
                refresh(user, kinds={kind, old_kind})
            else:
                _apply(user, kind=kind, tags=tags, delta=amount)
            announce(user.pk)
            return True
        _apply(user, kind=kind, tags=tags, delta=amount)
        announce(user.pk)
    return True


@dataclass(frozen=True)
class Report:
    """One report for ``record_many`` (the arguments of ``record``)."""

    key: str
    area: str
    kind: str
    occurred_at: dt.datetime
    tags: Iterable[str] = ()
    amount: int = 1


def _check(*, key: str, area: str, kind: str) -> None:
    if kind not in PROGRESS_KINDS:
        raise ProgressError(f"unknown progress kind {kind!r}; expected one of {PROGRESS_KINDS}")
    if area not in AREAS:
        raise ProgressError(f"unknown area {area!r}; expected one of {AREAS}")
    if not key:
        raise ProgressError("a progress report needs a key")


def record_many(user, reports: Iterable[Report], *, retract: Iterable[str] = ()) -> int:
    """``record`` each report, then ``retract`` each key, in one go: the same events, module
    counts and plan items as the calls one by one, in a fixed number of queries (for an
    import). Amounts must be positive, so counts only move one way per report; a key both
    recorded and retracted in one call is refused. Returns how many events changed.
    """
    wanted: dict[str, Report] = {}
    for report in reports:
        _check(key=report.key, area=report.area, kind=report.kind)
        if report.amount < 1:
            raise ProgressError("record_many takes positive amounts only")
        wanted.setdefault(report.key, report)  # a repeated report changes nothing
    gone = list(dict.fromkeys(retract))
    if both := set(wanted) & set(gone):
        raise ProgressError(f"keys both recorded and retracted: {sorted(both)}")
    if not wanted and not gone:
        return 0
    now = timezone.now()
    with transaction.atomic():
        existing = {
            e.key: e
            for e in ProgressEvent.objects.select_for_update().filter(
                user=user, key__in=[*wanted, *gone]
            )
        }
        created, revived, retracted = [], [], []
        changes: list[tuple[str, frozenset, int]] = []  # (kind, tags, delta), in order
        rekinded: set[str] = set()
        for key, r in wanted.items():
            tags = sorted(set(r.tags))
            event = existing.get(key)
            if event is None:
                created.append(
                    ProgressEvent(
                        user=user,
                        key=key,
                        kind=r.kind,
                        area=r.area,
                        tags=tags,
                        amount=r.amount,
                        occurred_at=r.occurred_at,
                    )
                )
                changes.append((r.kind, frozenset(tags), r.amount))
            elif event.retracted_at is not None:
                # A report made again after its retraction counts again (as in record()).
                if event.kind != r.kind:
                    rekinded |= {event.kind, r.kind}
                else:
                    changes.append((r.kind, frozenset(tags), r.amount))
                event.kind, event.area, event.tags = r.kind, r.area, tags
                event.amount, event.occurred_at, event.retracted_at = r.amount, r.occurred_at, None
                revived.append(event)
        for key in gone:
            event = existing.get(key)
            if event is None or event.retracted_at is not None:
                continue
            event.retracted_at = now
            retracted.append(event)
            changes.append((event.kind, frozenset(event.tags), -event.amount))
        if created:
            ProgressEvent.objects.bulk_create(created)
        if revived:
            ProgressEvent.objects.bulk_update(
                revived, ["kind", "area", "tags", "amount", "occurred_at", "retracted_at"]
            )
        if retracted:
            ProgressEvent.objects.bulk_update(retracted, ["retracted_at"])
        _apply_many(user, changes)
        if rekinded:
            refresh(user, kinds=rekinded)
        changed = len(created) + len(revived) + len(retracted)
        if changed:
            announce(user.pk)
    return changed


def _apply_many(user, changes: list[tuple[str, frozenset, int]]) -> None:
    """``_apply`` for many reports: each matching module's count moves by every change in
    turn and its row is written once; plan items follow the module's net change (complete
    now and not before, or the reverse). Records come before retractions, so no count dips
    below where it started and comes back: a completion undone within the call leaves the
    item as it was, which is where the one-by-one calls leave it too."""
    if not changes:
        return
    modules = list(Module.objects.active().filter(completion__type="events"))
    touched: dict[int, list[int]] = {}
    by_pk = {m.pk: m for m in modules}
    for kind, tagset, delta in changes:
        for m in modules:
            if m.completion.get("event") == kind and tagset.issuperset(
                m.completion.get("tags", ())
            ):
                touched.setdefault(m.pk, []).append(delta)
    if not touched:
        return
    rows = {
        p.module_id: p
        for p in ModuleProgress.objects.select_for_update().filter(
            user=user, module__in=list(touched)
        )
    }
    now = timezone.now()
    to_create, to_update, completed, reopened = [], [], [], []
    for module_pk, deltas in touched.items():
        module = by_pk[module_pk]
        target = int(module.completion.get("count", 1))
        row = rows.get(module_pk)
        if row is None:
            row = ModuleProgress(user=user, module=module, done=0, target=target)
            to_create.append(row)
        else:
            to_update.append(row)
        was_complete = row.complete
        for delta in deltas:
            row.done = max(0, row.done + delta)
        row.target = target
        row.complete = row.done >= target
        row.updated_at = now
        if row.complete and not was_complete:
            completed.append(module_pk)
        elif was_complete and not row.complete:
            reopened.append(module_pk)
    if to_create:
        ModuleProgress.objects.bulk_create(to_create)
    if to_update:
        ModuleProgress.objects.bulk_update(to_update, ["done", "target", "complete", "updated_at"])
    _sync_items(user, completed=completed, reopened=reopened)


def retract(user, *, key: str) -> bool:
    """Undo the report made with ``key`` (an undo, a deleted attempt)."""
    with transaction.atomic():
        event = (
            ProgressEvent.objects.select_for_update()
            .filter(user=user, key=key, retracted_at=None)
            .first()
        )
        if event is None:
            return False
        event.retracted_at = timezone.now()
        event.save(update_fields=["retracted_at"])
        _apply(user, kind=event.kind, tags=event.tags, delta=-event.amount)
        announce(user.pk)
    return True


def retag(user, *, tags_by_key: dict[str, Iterable[str]]) -> int:
    """Give the reports made with these keys new tags, and re-evaluate what they count for.

    For an app that re-classifies what it reported about (a problem moved to new patterns):
    progress is per thing done, so past reports count toward the modules of the new tags.
    Returns how many reports changed.
    """
    changed, kinds = [], set()
    wanted = {key: sorted(set(tags)) for key, tags in tags_by_key.items()}
    with transaction.atomic():
        for event in ProgressEvent.objects.select_for_update().filter(
            user=user, key__in=list(wanted)
        ):
            if event.tags != wanted[event.key]:
                event.tags = wanted[event.key]
                changed.append(event)
                kinds.add(event.kind)
        if changed:
            ProgressEvent.objects.bulk_update(changed, ["tags"])
            refresh(user, kinds=kinds)
    return len(changed)


def _apply(user, *, kind: str, tags, delta: int) -> None:
    """Move the counts of the modules whose rule this report matches (no event scan)."""
    tagset = frozenset(tags)
    matching = [
        m
        for m in Module.objects.active().filter(completion__type="events")
        if m.completion.get("event") == kind and tagset.issuperset(m.completion.get("tags", ()))
    ]
    if not matching:
        return
    rows = {
        p.module_id: p
        for p in ModuleProgress.objects.select_for_update().filter(user=user, module__in=matching)
    }
    completed, reopened = [], []
    for module in matching:
        target = int(module.completion.get("count", 1))
        row = rows.get(module.pk)
        if row is None:
            row = ModuleProgress(user=user, module=module, done=0, target=target)
        row.done = max(0, row.done + delta)
        row.target = target
        was_complete = row.complete
        row.complete = row.done >= target
        row.save()
        if row.complete and not was_complete:
            completed.append(module.pk)
        elif was_complete and not row.complete:
            reopened.append(module.pk)
    _sync_items(user, completed=completed, reopened=reopened)


def _sync_items(user, *, completed: list[int], reopened: list[int]) -> None:
    now = timezone.now()
    if completed:
        PlanItem.objects.filter(
            user=user, module_id__in=completed, status=PlanItem.Status.PENDING
        ).update(status=PlanItem.Status.DONE, done_at=now, auto_done=True)
    if reopened:
        PlanItem.objects.filter(user=user, module_id__in=reopened, auto_done=True).update(
            status=PlanItem.Status.PENDING, done_at=None, auto_done=False
        )


def refresh(user, *, kinds: set[str] | None = None, slugs: set[str] | None = None) -> None:
    """Re-evaluate the completion rules (for these event kinds or module slugs) for ``user``."""
    modules = list(Module.objects.active())
    if kinds is not None:
        modules = [
            m
            for m in modules
            if m.completion.get("type") == "events" and m.completion.get("event") in kinds
        ]
    if slugs is not None:
        modules = [m for m in modules if m.slug in slugs]
    if not modules:
        return
    event_kinds = {m.completion["event"] for m in modules if m.completion.get("type") == "events"}
    events = [
        Event(kind, frozenset(tags), amount)
        for kind, tags, amount in ProgressEvent.objects.filter(
            user=user, kind__in=event_kinds, retracted_at=None
        ).values_list("kind", "tags", "amount")
    ]
    checklist_ids = [m.pk for m in modules if m.completion.get("type") == "checklist"]
    ticks: dict[int, set[int]] = {}
    if checklist_ids:
        for module_id, index in ChecklistTick.objects.filter(
            user=user, module_id__in=checklist_ids
        ).values_list("module_id", "index"):
            ticks.setdefault(module_id, set()).add(index)

    existing = {
        p.module_id: p for p in ModuleProgress.objects.filter(user=user, module__in=modules)
    }
    to_create, to_update, completed, reopened = [], [], [], []
    for module in modules:
        rule = catalogue.rule_for(module)
        if module.completion.get("type") == "checklist":
            done, target, complete = evaluate(rule, ticks.get(module.pk, set()))
        else:
            # Raw counts (not capped at the target), so later reports and retractions can
            # move them incrementally (see _apply).
            done = max(0, sum(e.amount for e in events if matches(rule, e)))
            target = rule.count
            complete = done >= target
        row = existing.get(module.pk)
        if row is None:
            if done == 0 and not complete:
                continue
            to_create.append(
                ModuleProgress(
                    user=user, module=module, done=done, target=target, complete=complete
                )
            )
        elif (row.done, row.target, row.complete) != (done, target, complete):
            row.done, row.target, row.complete = done, target, complete
            to_update.append(row)
        (completed if complete else reopened).append(module.pk)
    if to_create:
        ModuleProgress.objects.bulk_create(to_create)
    if to_update:
        ModuleProgress.objects.bulk_update(to_update, ["done", "target", "complete", "updated_at"])
    _sync_items(user, completed=completed, reopened=reopened)
