"""Property-based proofs of the scheduler's rules (issue 3) over random learner profiles.

Each profile draws a role, a horizon from 1 to 180 days (and some past interviews), the
weekly minutes, the available weekdays (often a single one), days off, heavily reserved
days, modules already done, minutes already spent, and fixed items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curriculum.engine.content import CONTENT_DIR, CONTENT_FILES, load_content, parse_content
from curriculum.engine.scheduler import (
    CORE_DAYS,
    MIN_SESSION,
    NO_ROOM,
    SHRUNK,
    FixedItem,
    PlanRequest,
    generate_plan,
    is_peer_mock,
    prerequisite_reason,
    replan,
)
from curriculum.roles import ROLE_SLUGS

CONTENT = load_content()


def _flat_content():
    """The real content with every priority equal: only the template's ``protected`` list
    then tells the coding block and the peer mocks from the rest."""
    documents = {
        name: yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8"))
        for name in CONTENT_FILES
    }
    for module in documents["modules.yaml"]["modules"]:
        module["priority"] = 1
    return parse_content(documents)


FLAT_CONTENT = _flat_content()
BASE = date(2025, 1, 1)
SETTINGS = settings(
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def profiles(draw, *, allow_fixed: bool = True) -> PlanRequest:
    role = draw(st.sampled_from(ROLE_SLUGS))
    start = BASE + timedelta(days=draw(st.integers(0, 6)))
    days = draw(
        st.one_of(
            st.sampled_from([1, 2, 18, 28, 29, 60, 180]),
            st.integers(1, 180),
            st.integers(-2, 0),
        )
    )
    interview = start + timedelta(days=days)
    horizon = max(days, 1)
    weekly = draw(st.one_of(st.sampled_from([0, 60, 300, 600, 900, 1500]), st.integers(0, 3000)))
    weekdays = draw(
        st.one_of(
            st.frozensets(st.integers(0, 6), min_size=1, max_size=1),
            st.frozensets(st.integers(0, 6), max_size=7),
            st.just(frozenset(range(7))),
        )
    )
    day = st.integers(0, horizon - 1).map(lambda i: start + timedelta(days=i))
    days_off = draw(st.frozensets(day, max_size=25))
    reserved = draw(
        st.dictionaries(day, st.one_of(st.integers(0, 60), st.integers(60, 900)), max_size=40)
    )
    template = CONTENT.template(role).modules
    done = draw(st.frozensets(st.sampled_from(template), max_size=12))
    partial = draw(st.dictionaries(st.sampled_from(template), st.integers(0, 200), max_size=5))
    fixed: tuple[FixedItem, ...] = ()
    if allow_fixed:
        fixed_slugs = draw(st.lists(st.sampled_from(template), max_size=3, unique=True))
        fixed = tuple(
            FixedItem(
                slug,
                start + timedelta(days=draw(st.integers(-3, horizon + 2))),
                draw(st.integers(0, 120)),
            )
            for slug in fixed_slugs
        )
    return PlanRequest(
        content=draw(st.sampled_from([CONTENT, FLAT_CONTENT])),
        role=role,
        start=start,
        interview=interview,
        weekly_minutes=weekly,
        weekdays=weekdays,
        days_off=days_off,
        reserved=reserved,
        done=done,
        partial=partial,
        fixed=fixed,
    )


def expected_room(request: PlanRequest) -> dict[date, int]:
    """The room per day, computed independently of the engine."""
    available = sorted(request.weekdays)
    per_weekday = {}
    for position, wd in enumerate(available):
        base, extra = divmod(request.weekly_minutes, len(available))
        per_weekday[wd] = base + (1 if position < extra else 0)
    room = {}
    d = request.start
    while d < request.interview:
        cap = 0 if d in request.days_off else per_weekday.get(d.weekday(), 0)
        cap -= request.reserved.get(d, 0)
        cap -= sum(f.minutes for f in request.fixed if f.date == d)
        room[d] = max(0, cap)
        d += timedelta(days=1)
    return room


def remaining_minutes(request: PlanRequest, slug: str) -> tuple[int, int]:
    """(minutes the engine must place, number of fixed sessions before them)."""
    module = CONTENT.module(slug)
    spent = request.partial.get(slug, 0)
    fixed = [f for f in request.fixed if f.module == slug]
    if fixed:
        left = module.minutes - spent - sum(f.minutes for f in fixed)
        return left, max(f.session_index for f in fixed)
    if spent > 0:
        return max(min(MIN_SESSION, module.minutes), module.minutes - spent), 0
    return module.minutes, 0


def planned(result):
    """Engine-placed items (not fixed), per module, in date order."""
    by_module = defaultdict(list)
    for item in result.items:
        if not item.fixed:
            by_module[item.module].append(item)
    return by_module


def protected_only(request: PlanRequest) -> PlanRequest:
    """The request with only the modules that come before everything else left to do: the
    protected ones, and week 3's peer mocks with what they need (the engine keeps those
    first, even over protected modules)."""
    template = CONTENT.template(request.role)
    keep = set(template.protected)
    todo = [s for s in template.modules if is_peer_mock(CONTENT.module(s))]
    while todo:
        slug = todo.pop()
        if slug not in keep:
            keep.add(slug)
        todo.extend(p for p in CONTENT.module(slug).prerequisites if p not in keep)
    others = frozenset(template.modules) - keep
    return replace(request, done=request.done | others)


# --------------------------------------------------------------------------- capacity


@SETTINGS
@given(profiles())
def test_no_day_is_over_its_capacity(request):
    result = generate_plan(request)
    room = expected_room(request)
    used: dict[date, int] = defaultdict(int)
    anchored: dict[date, int] = defaultdict(int)
    for item in result.items:
        if not item.fixed:
            assert request.start <= item.date < request.interview
            if is_peer_mock(CONTENT.module(item.module)):
                # A peer mock kept in week 3 may exceed its day (never anything else).
                anchored[item.date] += item.minutes
            else:
                used[item.date] += item.minutes
    for day, minutes in used.items():
        assert minutes <= room[day], (day, minutes, room[day])
    for day, minutes in anchored.items():
        assert minutes <= room[day] or used[day] + minutes <= max(room[day], minutes * 2)


@SETTINGS
@given(profiles())
def test_long_modules_are_split_into_sessions_without_confetti(request):
    result = generate_plan(request)
    for slug, items in planned(result).items():
        module = CONTENT.module(slug)
        if module.kind == "review":
            for item in items:
                assert item.session_index == item.session_count == 1
                assert item.minutes >= min(MIN_SESSION, module.minutes)
            continue
        total, before = remaining_minutes(request, slug)
        assert module.kind != "mock" or before == 0, "a booked mock is not placed again"
        assert sum(i.minutes for i in items) == total
        assert [i.session_index for i in items] == list(range(before + 1, before + len(items) + 1))
        assert {i.session_count for i in items} == {before + len(items)}
        dates = [i.date for i in items]
        assert dates == sorted(set(dates)), "one session per day, in order"
        fixed_dates = [f.date for f in request.fixed if f.module == slug]
        if fixed_dates:
            assert dates[0] > max(fixed_dates), "the rest of a module follows its fixed sessions"
        for item in items:
            assert item.minutes >= min(MIN_SESSION, total)
            assert (item.week, item.area, item.kind) == (module.week, module.area, module.kind)


# --------------------------------------------------------------------------- order


@SETTINGS
@given(profiles())
def test_prerequisites_end_on_or_before_their_dependants_start(request):
    result = generate_plan(request)
    by_module = planned(result)
    last: dict[str, date] = {}
    for item in result.items:
        last[item.module] = max(last.get(item.module, item.date), item.date)
    template = set(CONTENT.template(request.role).modules)
    for slug, items in by_module.items():
        first = items[0].date
        for prereq in CONTENT.module(slug).prerequisites:
            if prereq not in template or prereq in request.done:
                continue
            assert prereq in last, f"{slug} scheduled without {prereq}"
            fixed_before_start = any(
                f.module == prereq and f.date < request.start for f in request.fixed
            )
            if not fixed_before_start:
                assert last[prereq] <= first, (prereq, last[prereq], slug, first)


@SETTINGS
@given(profiles())
def test_theme_weeks_come_in_order(request):
    result = generate_plan(request)
    # The peer mocks kept inside week 3 are the exception: other work moves out of their way.
    core = [
        i
        for i in result.items
        if not i.fixed and i.kind != "review" and not is_peer_mock(CONTENT.module(i.module))
    ]
    for week in (1, 2, 3):
        before = [i.date for i in core if i.week <= week]
        after = [i.date for i in core if i.week > week]
        if before and after:
            assert max(before) <= min(after), week


# --------------------------------------------------------------------------- coverage


@SETTINGS
@given(profiles())
def test_every_template_module_is_done_scheduled_or_unscheduled_with_a_reason(request):
    result = generate_plan(request)
    template = CONTENT.template(request.role).modules
    scheduled = {i.module for i in result.items}
    unscheduled = dict(result.unscheduled)
    assert len(unscheduled) == len(result.unscheduled), "each module listed once"
    fixed = {f.module for f in request.fixed}
    for slug in template:
        if slug in fixed and slug not in request.done:
            # Present through its fixed items; what is left of it may be scheduled, or listed
            # as unscheduled when it does not fit.
            assert slug in scheduled
            left, _ = remaining_minutes(request, slug)
            if CONTENT.module(slug).kind == "mock" or left < MIN_SESSION:
                assert slug not in unscheduled
            continue
        states = [
            slug in request.done and slug not in {f.module for f in request.fixed},
            slug in scheduled,
            slug in unscheduled,
        ]
        if slug in request.done and slug in scheduled:
            # A done module is only ever present through a fixed item the site passed in.
            assert all(i.fixed for i in result.items if i.module == slug)
            continue
        assert sum(states) == 1, (slug, states)
    for slug, reason in result.unscheduled:
        if reason not in (NO_ROOM, SHRUNK):
            prereq = next(
                p for p in CONTENT.module(slug).prerequisites if reason == prerequisite_reason(p)
            )
            assert prereq in unscheduled


@SETTINGS
@given(profiles())
def test_fixed_items_are_kept_verbatim(request):
    result = generate_plan(request)
    kept = [(i.module, i.date, i.minutes) for i in result.items if i.fixed]
    assert sorted(kept) == sorted((f.module, f.date, f.minutes) for f in request.fixed)


# --------------------------------------------------------------------------- compression


@SETTINGS
@given(profiles())
def test_protected_modules_go_only_when_they_cannot_fit_on_their_own(request):
    result = generate_plan(request)
    protected = set(CONTENT.template(request.role).protected)
    lost = {slug for slug, _ in result.unscheduled if slug in protected}
    if not lost:
        return
    alone = generate_plan(protected_only(request))
    lost_alone = {slug for slug, _ in alone.unscheduled}
    assert lost <= lost_alone, (lost, lost_alone)


def test_a_protected_module_is_not_lost_to_less_essential_work_laid_out_after_the_mocks():
    """Found by the property above: 113 minutes on Mondays only, 18 days. Keeping week 3's
    mocks shrank the coding block, and two less essential modules laid out after the mocks'
    framework then held the Monday's room the first coding module needed; alone it fits."""
    request = PlanRequest(
        content=CONTENT,
        role="research",
        start=BASE,
        interview=BASE + timedelta(days=18),
        weekly_minutes=113,
        weekdays=frozenset({0}),
    )
    result = generate_plan(request)
    alone = generate_plan(protected_only(request))
    lost = {s for s, _ in result.unscheduled} & set(CONTENT.template("research").protected)
    assert "coding-arrays-hashing" in {i.module for i in result.items}
    assert lost <= {s for s, _ in alone.unscheduled}


@SETTINGS
@given(profiles(allow_fixed=False))
def test_a_plan_that_fits_drops_nothing(request):
    """With twice the room the whole template needs in its first 28 days, nothing is lost."""
    template = CONTENT.template(request.role)
    need = sum(CONTENT.module(s).minutes for s in template.modules)
    roomy = replace(
        request,
        weekly_minutes=need,
        weekdays=frozenset(range(7)),
        days_off=frozenset(),
        reserved={},
        interview=request.start + timedelta(days=max(28, (request.interview - request.start).days)),
    )
    assert generate_plan(roomy).unscheduled == ()


# --------------------------------------------------------------------------- stretching


@SETTINGS
@given(profiles())
def test_long_horizons_stretch_with_review_blocks_not_idle_days(request):
    result = generate_plan(request)
    reviews = [i for i in result.items if i.kind == "review"]
    total_days = (request.interview - request.start).days
    if total_days <= CORE_DAYS:
        assert reviews == []
        return
    core_dates = [i.date for i in result.items if not i.fixed and i.kind != "review"]
    after = max(core_dates) if core_dates else request.start - timedelta(days=1)
    room = expected_room(request)
    areas_by_day: dict[date, list[str]] = defaultdict(list)
    for item in reviews:
        assert item.date > after
        areas_by_day[item.date].append(item.area)
    for day, minutes in room.items():
        if day > after and minutes >= MIN_SESSION:
            assert areas_by_day[day], f"{day} has {minutes} free minutes and no review"
    for areas in areas_by_day.values():
        assert len(areas) == len(set(areas)), "an area at most once a day"
    review_areas = {CONTENT.module(s).area for s in CONTENT.template(request.role).review}
    if len(reviews) >= len(review_areas):
        assert {i.area for i in reviews} == review_areas, "spread across every area"


# --------------------------------------------------------------------------- determinism


@SETTINGS
@given(profiles())
def test_same_inputs_same_plan(request):
    first = generate_plan(request)
    shuffled = replace(
        request,
        weekdays=frozenset(sorted(request.weekdays, reverse=True)),
        days_off=frozenset(sorted(request.days_off, reverse=True)),
        reserved=dict(reversed(list(request.reserved.items()))),
        partial=dict(reversed(list(request.partial.items()))),
        done=frozenset(sorted(request.done, reverse=True)),
        fixed=tuple(reversed(request.fixed)),
    )
    assert generate_plan(shuffled) == first
    assert generate_plan(request) == first


# --------------------------------------------------------------------------- re-planning


@SETTINGS
@given(profiles(allow_fixed=False), st.integers(0, 60))
def test_replan_keeps_the_rules_and_rolls_missed_items_forward(request, elapsed):
    plan = generate_plan(request)
    today = request.start + timedelta(days=elapsed)
    if today >= request.interview:
        return
    past = [i for i in plan.items if i.date < today and i.kind != "review"]
    done = {i.module for i in past[::2]}  # every other past item done, the rest missed
    again = replan(request, today=today, done=done, old_items=plan.items)
    for item in again.result.items:
        assert today <= item.date < request.interview
        assert item.module not in done | request.done
    moved = {m.module for m in again.moves}
    for item in past:
        if item.module not in done and item.module not in request.done:
            assert item.module in moved, "a missed module moves (or is dropped)"
