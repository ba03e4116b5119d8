"""Example plans: how the roles differ, compression, stretching, re-planning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from curriculum.engine.content import EventsRule, load_content
from curriculum.engine.scheduler import (
    NO_ROOM,
    SHRUNK,
    FixedItem,
    Move,
    PlanRequest,
    ScheduledItem,
    day_capacities,
    diff_plans,
    generate_plan,
    prerequisite_reason,
    replan,
)

CONTENT = load_content()
MONDAY = date(2025, 3, 3)


def plan(role: str, days: int = 28, weekly: int = 600, **kwargs) -> PlanRequest:
    return PlanRequest(
        content=CONTENT,
        role=role,
        start=MONDAY,
        interview=MONDAY + timedelta(days=days),
        weekly_minutes=weekly,
        **kwargs,
    )


def minutes(result, predicate) -> int:
    return sum(i.minutes for i in result.items if predicate(i))


def core_modules(result) -> set[str]:
    return {i.module for i in result.items if i.kind != "review"}


def medium_drill_modules(result) -> set[str]:
    found = set()
    for slug in core_modules(result):
        rule = CONTENT.module(slug).completion
        if isinstance(rule, EventsRule) and rule.event == "drill_solved" and "medium" in rule.tags:
            found.add(slug)
    return found


@pytest.fixture(scope="module")
def four_weeks():
    return {role: generate_plan(plan(role)) for role in ("research", "mle", "applied")}


# --------------------------------------------------------------------------- roles


def test_a_standard_four_week_plan_holds_every_module(four_weeks):
    for role, result in four_weeks.items():
        assert result.unscheduled == ()
        assert core_modules(result) == set(CONTENT.template(role).modules)
        assert not any(i.kind == "review" for i in result.items)
        assert max(i.date for i in result.items) < MONDAY + timedelta(days=28)


def test_the_weeks_follow_the_themes(four_weeks):
    for result in four_weeks.values():
        for item in result.items:
            week_of_plan = (item.date - MONDAY).days // 7 + 1
            # Pacing: nothing starts before its theme week; a busy week may spill a day over.
            assert week_of_plan >= item.week, item
            assert week_of_plan <= item.week + 1, item


def test_research_plan_has_paper_deep_dives_and_less_coding(four_weeks):
    research, mle = four_weeks["research"], four_weeks["mle"]
    papers = {m for m in core_modules(research) if m.startswith("paper-deep-dive")}
    assert len(papers) >= 2
    assert "research-discussion-mock" in core_modules(research)
    assert minutes(research, lambda i: i.area == "research") >= 400
    coding = {role: minutes(r, lambda i: i.area == "coding") for role, r in four_weeks.items()}
    assert coding["research"] < coding["applied"] < coding["mle"]
    assert coding["research"] * 2 <= coding["mle"]
    assert {"math-linear-algebra-probability", "math-derivations"} <= core_modules(research)
    assert not any(m.startswith("paper-") for m in core_modules(mle))


def test_every_plan_studies_llm_classical_and_probability_cards(four_weeks):
    # Issue 17: the LLM-era, classical-breadth and probability cards are in all three plans
    # (the research plan too, whose week 2 made room by leaving the engineers' trade-off drill).
    for role, result in four_weeks.items():
        assert {"mlf-llm", "mlf-classical", "mlf-probability"} <= core_modules(result), role
    assert "mlf-tradeoff-answers" not in core_modules(four_weeks["research"])


def test_mle_plan_has_more_coding_mediums_and_system_design(four_weeks):
    mediums = {role: len(medium_drill_modules(r)) for role, r in four_weeks.items()}
    assert mediums["mle"] > mediums["applied"] > mediums["research"]
    design = {
        role: minutes(r, lambda i: i.area == "ml_system_design") for role, r in four_weeks.items()
    }
    assert design["mle"] == max(design.values())
    assert "mlsd-serving-monitoring" in core_modules(four_weeks["mle"])
    assert {"coding-dynamic-programming", "coding-graphs"} <= core_modules(four_weeks["mle"])


def test_applied_plan_has_business_case(four_weeks):
    applied = four_weeks["applied"]
    assert minutes(applied, lambda i: i.area == "business_case") >= 120
    assert "business-case-solo-mock" in core_modules(applied)
    for role in ("research", "mle"):
        assert minutes(four_weeks[role], lambda i: i.area == "business_case") == 0


def test_every_role_has_solo_then_two_peer_design_mocks_in_week_three(four_weeks):
    for result in four_weeks.values():
        first = {}
        for item in result.items:
            first.setdefault(item.module, item.date)
        # The solo mocks are planned too, but a busy week may push them after the peer mocks:
        # only the two peer mocks are held inside week 3.
        assert "mlsd-solo-mock-1" in first
        assert first["mlsd-peer-mock-1"] < first["mlsd-peer-mock-2"]
        peer_days = [i for i in result.items if i.module.startswith("mlsd-peer-mock")]
        assert [i.session_count for i in peer_days] == [1, 1], "a mock is never split"
        assert all(
            MONDAY + timedelta(days=14) <= i.date < MONDAY + timedelta(days=21) for i in peer_days
        )


# --------------------------------------------------------------------------- compression


@pytest.mark.parametrize("role", ["research", "mle", "applied"])
def test_an_interview_in_18_days_keeps_coding_and_both_peer_mocks(role):
    result = generate_plan(plan(role, days=18, weekly=420))
    template = CONTENT.template(role)
    kept = core_modules(result)
    assert set(template.protected) <= kept
    assert {"mlsd-peer-mock-1", "mlsd-peer-mock-2"} <= kept
    assert result.unscheduled, "18 days at 7 hours a week cannot hold the whole plan"
    dropped = dict(result.unscheduled)
    assert set(dropped) | kept == set(template.modules)
    assert not set(dropped) & kept
    for slug, reason in dropped.items():
        assert reason in (NO_ROOM, SHRUNK) or reason.startswith("prerequisite "), reason
        assert slug not in template.protected
    # Compression thins every area instead of starving the last weeks.
    by_area = result.minutes_by_area()
    for area in CONTENT.role(role).areas:
        assert by_area.get(area, 0) > 0, area
    # The least essential modules went first.
    kept_priority = max(CONTENT.module(s).priority for s in kept)
    assert min(CONTENT.module(s).priority for s in dropped) >= 2
    assert kept_priority <= max(CONTENT.module(s).priority for s in dropped)


def test_a_dropped_prerequisite_is_the_reason_given_for_its_dependant():
    # Only the research plan's deep dive 1 is spent; no room for the rest.
    result = generate_plan(plan("research", days=3, weekly=300))
    reasons = dict(result.unscheduled)
    assert reasons["paper-selection"] in (NO_ROOM, SHRUNK)
    assert reasons["paper-deep-dive-1"] == prerequisite_reason("paper-selection")
    assert reasons["paper-deep-dive-2"] == prerequisite_reason("paper-deep-dive-1")


def test_only_when_even_the_protected_modules_cannot_fit_do_they_go():
    # One 60-minute session before the interview: only one protected module fits.
    result = generate_plan(plan("mle", days=1, weekly=420, weekdays=frozenset(range(7))))
    assert [(i.module, i.minutes) for i in result.items] == [("coding-arrays-hashing", 60)]
    assert len(result.unscheduled) == len(CONTENT.template("mle").modules) - 1


def test_an_interview_today_or_past_schedules_nothing_and_says_why():
    for days in (0, -3):
        result = generate_plan(plan("applied", days=days))
        assert result.items == ()
        assert {s for s, _ in result.unscheduled} == set(CONTENT.template("applied").modules)


# --------------------------------------------------------------------------- stretching


@pytest.mark.parametrize("role", ["research", "mle", "applied"])
def test_a_60_day_plan_stretches_with_review_blocks(role):
    result = generate_plan(plan(role, days=60, weekly=600))
    assert result.unscheduled == ()
    core = [i for i in result.items if i.kind != "review"]
    reviews = [i for i in result.items if i.kind == "review"]
    assert max(i.date for i in core) < MONDAY + timedelta(days=28), "core keeps its pace"
    assert reviews
    assert {i.area for i in reviews} == set(CONTENT.role(role).areas)
    # No idle week between the core and the interview.
    last_core = max(i.date for i in core)
    week_start = last_core + timedelta(days=1)
    while week_start + timedelta(days=7) <= MONDAY + timedelta(days=60):
        in_week = [i for i in reviews if week_start <= i.date < week_start + timedelta(days=7)]
        assert len({i.area for i in in_week}) >= 3, week_start
        week_start += timedelta(days=7)
    # Occurrences count the repeats of each review module.
    counts: dict[str, int] = {}
    for item in reviews:
        counts[item.module] = counts.get(item.module, 0) + 1
        assert item.occurrence == counts[item.module]


# --------------------------------------------------------------------------- capacity


def test_capacity_spreads_weekly_minutes_and_respects_days_off_and_reservations():
    rooms = day_capacities(MONDAY, 7, 100, {0, 2, 4})
    assert rooms == [34, 0, 33, 0, 33, 0, 0]
    off = MONDAY + timedelta(days=2)
    rooms = day_capacities(MONDAY, 7, 100, {0, 2, 4}, frozenset({off}), {MONDAY: 50})
    assert rooms == [0, 0, 0, 0, 33, 0, 0]


def test_a_long_module_is_split_when_days_are_short():
    result = generate_plan(plan("mle", days=28, weekly=140, weekdays=frozenset(range(7))))
    dp = [i for i in result.items if i.module == "coding-arrays-hashing"]
    assert [i.minutes for i in dp] == [20, 20, 20]
    assert [i.session_index for i in dp] == [1, 2, 3]
    assert all(i.session_count == 3 for i in dp)


def test_a_mock_waits_for_a_day_with_room_rather_than_splitting():
    reserved = {MONDAY + timedelta(days=d): 60 for d in range(28) if d % 2 == 0}
    result = generate_plan(plan("mle", weekly=840, weekdays=frozenset(range(7)), reserved=reserved))
    mocks = [i for i in result.items if i.kind == "mock"]
    assert mocks and all(i.session_count == 1 for i in mocks)
    assert all((i.date - MONDAY).days % 2 == 1 for i in mocks if i.minutes > 60)


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_the_same_plan():
    kwargs = {
        "weekdays": frozenset({5, 1, 3}),
        "days_off": frozenset({MONDAY + timedelta(days=8)}),
        "reserved": {MONDAY + timedelta(days=3): 30, MONDAY + timedelta(days=1): 45},
    }
    first = generate_plan(plan("research", days=45, **kwargs))
    kwargs["reserved"] = dict(reversed(list(kwargs["reserved"].items())))
    kwargs["weekdays"] = frozenset([3, 1, 5])
    assert generate_plan(plan("research", days=45, **kwargs)) == first


# --------------------------------------------------------------------------- re-planning


def test_replan_rolls_missed_items_forward_and_reports_moves():
    # 12 h a week: the ML engineer plan (with its ML coding modules) fills 10 h exactly, and
    # this test is about rolling missed work forward, not about compressing a full plan.
    request = plan("mle", days=28, weekly=720)
    original = generate_plan(request)
    today = MONDAY + timedelta(days=7)
    past = [i for i in original.items if i.date < today]
    missed = {"coding-dynamic-programming", "coding-heap"}
    done = {i.module for i in past} - missed
    again = replan(request, today=today, done=done, old_items=original.items)
    assert again.result.unscheduled == ()
    new_first = {}
    for item in again.result.items:
        new_first.setdefault(item.module, item.date)
        assert item.date >= today
    assert missed <= set(new_first)
    moved = {m.module: m for m in again.moves}
    for slug in missed:
        assert moved[slug].old_date < today <= moved[slug].new_date
    assert not set(moved) & done, "done modules are not reported as moved"
    # Pacing is kept from the original start: week 3 still opens in the third week.
    assert new_first["mlsd-framework"] >= MONDAY + timedelta(days=14)


def test_replan_on_the_first_day_with_nothing_done_changes_nothing():
    request = plan("applied", days=40, weekly=500)
    original = generate_plan(request)
    again = replan(request, today=MONDAY, old_items=original.items)
    assert again.result == original
    assert again.moves == ()


def test_a_booked_peer_mock_is_kept_and_counts_for_its_module():
    booked = FixedItem("mlsd-peer-mock-1", MONDAY + timedelta(days=19), 75)
    result = generate_plan(plan("mle", fixed=(booked,)))
    peer1 = [i for i in result.items if i.module == "mlsd-peer-mock-1"]
    assert [(i.date, i.fixed) for i in peer1] == [(booked.date, True)]
    peer2 = next(i for i in result.items if i.module == "mlsd-peer-mock-2")
    assert peer2.date >= booked.date
    assert result.unscheduled == ()


def test_a_pinned_session_keeps_its_place_and_the_rest_follows_it():
    # The site pins session 1 of 2 (e.g. a snoozed day): the other 60 minutes still come.
    pinned = FixedItem("mlf-tradeoff-deck", MONDAY + timedelta(days=9), 60, 1, 2)
    result = generate_plan(plan("mle", fixed=(pinned,)))
    deck = [i for i in result.items if i.module == "mlf-tradeoff-deck"]
    assert deck[0].fixed and deck[0].date == pinned.date
    rest = deck[1:]
    assert sum(i.minutes for i in rest) == 60
    assert all(i.date > pinned.date and not i.fixed for i in rest)
    assert [i.session_index for i in rest] == list(range(2, 2 + len(rest)))
    assert "mlf-tradeoff-deck" not in dict(result.unscheduled)


def test_partial_minutes_schedule_only_what_is_left():
    result = generate_plan(plan("mle", partial={"mlf-tradeoff-deck": 90}))
    deck = [i for i in result.items if i.module == "mlf-tradeoff-deck"]
    assert sum(i.minutes for i in deck) == 30
    spent = generate_plan(plan("mle", partial={"coding-heap": 500}))
    assert sum(i.minutes for i in spent.items if i.module == "coding-heap") == 20


def test_diff_plans_reports_moves_additions_and_removals():
    def item(slug, day, kind="drills"):
        return ScheduledItem(slug, MONDAY + timedelta(days=day), 30, 1, 1, 1, "coding", kind)

    old = [item("a", 0), item("a", 1), item("b", 2), item("c", 3), item("r", 4, "review")]
    new = [item("a", 0), item("b", 5), item("d", 6), item("r", 9, "review")]

    def d(days):
        return MONDAY + timedelta(days=days)

    assert diff_plans(old, new) == (
        Move("b", d(2), d(5)),
        Move("d", None, d(6)),
        Move("c", d(3), None),
    )
    assert Move("r", d(4), d(9)) in diff_plans(old, new, include_review=True)


def test_bad_requests_are_refused():
    with pytest.raises(ValueError, match="unknown role"):
        generate_plan(plan("data_scientist"))
    with pytest.raises(ValueError, match="weekday"):
        generate_plan(plan("mle", weekdays=frozenset({7})))
    with pytest.raises(ValueError, match="weekly_minutes"):
        generate_plan(plan("mle", weekly=-5))
    with pytest.raises(ValueError, match="unknown module"):
        generate_plan(plan("mle", fixed=(FixedItem("nope", MONDAY, 30),)))
