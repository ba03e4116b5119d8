"""Benchmark of the engine core: ``python -m tooling.bench.engine`` (run by ``make bench``).

Prints one figure a line in tooling/bench/__main__.py's format. The content is parsed once, outside the
timed loops; the engine core touches no database, hence ``none`` in the figures.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from curriculum.engine.content import Content, load_content
from curriculum.engine.scheduler import (
    PlanRequest,
    ScheduledItem,
    generate_plan,
    replan,
)

START = date(2025, 3, 3)  # a Monday


def _timed(fn, min_seconds: float) -> tuple[int, float]:
    """Run ``fn`` repeatedly for at least ``min_seconds``; return (runs, seconds)."""
    fn()  # warm caches (per-role template data)
    runs = 0
    begin = time.perf_counter()
    elapsed = 0.0
    batch = 50
    while elapsed < min_seconds:
        for _ in range(batch):
            fn()
        runs += batch
        elapsed = time.perf_counter() - begin
    return runs, elapsed


def bench_plan_28d(content: Content, min_seconds: float = 1.0) -> float:
    """Plans per second for a 28-day plan (all three roles in turn, realistic profile)."""
    reserved = {START + timedelta(days=d): 30 for d in range(0, 28, 3)}
    requests = [
        PlanRequest(
            content=content,
            role=role,
            start=START,
            interview=START + timedelta(days=28),
            weekly_minutes=600,
            weekdays=frozenset({0, 1, 2, 3, 4, 5}),
            days_off=frozenset({START + timedelta(days=12)}),
            reserved=reserved,
        )
        for role in ("research", "mle", "applied")
    ]
    state = {"i": 0}

    def one() -> None:
        i = state["i"]
        state["i"] = i + 1
        generate_plan(requests[i % 3])

    runs, seconds = _timed(one, min_seconds)
    return runs / seconds


def replan_scenario(content: Content) -> tuple[PlanRequest, tuple[ScheduledItem, ...], dict]:
    """A 120-day MLE plan, re-planned on day 40 with 30 missed items (the others done)."""
    request = PlanRequest(
        content=content,
        role="mle",
        start=START,
        interview=START + timedelta(days=120),
        weekly_minutes=420,
        weekdays=frozenset({0, 1, 2, 3, 4, 5}),
        days_off=frozenset({START + timedelta(days=d) for d in (20, 21, 60)}),
        reserved={START + timedelta(days=d): 20 for d in range(0, 120, 2)},
    )
    plan = generate_plan(request)
    today = START + timedelta(days=40)
    past = [item for item in plan.items if item.date < today]
    missed = past[-30:]  # the last 30 items before today were not done
    if len(missed) < 30:
        raise RuntimeError("scenario needs at least 30 items before today")
    missed_modules = {item.module for item in missed}
    done = {
        item.module for item in past if item.kind != "review" and item.module not in missed_modules
    }
    partial: dict[str, int] = {}
    for item in past[:-30]:
        if item.module in missed_modules and item.kind != "review":
            partial[item.module] = partial.get(item.module, 0) + item.minutes
    kwargs = {"today": today, "done": frozenset(done), "partial": partial}
    return request, plan.items, kwargs


def bench_replan_120d(content: Content, min_seconds: float = 1.0) -> float:
    """Milliseconds to re-plan a 120-day plan with 30 missed items (plan + diff)."""
    request, old_items, kwargs = replan_scenario(content)

    def one() -> None:
        replan(request, old_items=old_items, **kwargs)

    runs, seconds = _timed(one, min_seconds)
    return seconds / runs * 1000.0


def main() -> None:
    content = load_content()
    rate = bench_plan_28d(content)
    print(f"bench: engine_plan_28d = {rate:.0f} plans/s (none, engine core, 28-day plan)")
    ms = bench_replan_120d(content)
    print(
        f"bench: engine_replan_120d = {ms:.2f} ms "
        "(none, engine core, 120-day plan, 30 missed items)"
    )


if __name__ == "__main__":
    main()
