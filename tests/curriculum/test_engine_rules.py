"""Completion rules against progress events."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from curriculum.engine.content import ChecklistRule, EventsRule, load_content
from curriculum.engine.rules import Event, evaluate, matches

SLIDING = EventsRule("drill_solved", ("sliding_window", "medium"), 3)


def solved(*tags: str, amount: int = 1) -> Event:
    return Event("drill_solved", frozenset(tags), amount)


def test_events_need_every_tag_and_the_kind():
    events = [
        solved("sliding_window", "medium"),
        solved("sliding_window", "easy"),  # wrong difficulty
        solved("two_pointers", "medium"),  # wrong pattern
        Event("drill_attempted", frozenset({"sliding_window", "medium"})),  # wrong kind
        solved("sliding_window", "medium", "hints"),  # extra tags are fine
    ]
    assert evaluate(SLIDING, events) == (2, 3, False)
    assert evaluate(SLIDING, [*events, solved("medium", "sliding_window")]) == (3, 3, True)


def test_done_is_capped_at_target_and_never_negative():
    assert evaluate(SLIDING, [solved("sliding_window", "medium")] * 7) == (3, 3, True)
    assert evaluate(SLIDING, [solved("sliding_window", "medium", amount=-2)]) == (0, 3, False)


def test_amount_counts_and_tuples_and_objects_are_accepted():
    deck = EventsRule("card_reviewed", ("deck:tradeoffs",), 150)
    events = [
        ("card_reviewed", {"deck:tradeoffs", "topic:evaluation"}, 100),
        ("card_reviewed", ("deck:tradeoffs",)),
        SimpleNamespace(kind="card_reviewed", tags=["deck:tradeoffs"], amount=48),
        ("card_reviewed", ("deck:other",), 500),
    ]
    assert evaluate(deck, events) == (149, 150, False)
    assert evaluate(deck, [*events, ("card_reviewed", ["deck:tradeoffs"])])[2] is True
    assert matches(deck, ("card_reviewed", {"deck:tradeoffs"}))
    assert not matches(deck, ("card_reviewed", {"deck:other"}))


def test_rule_without_tags_counts_every_event_of_its_kind():
    rule = EventsRule("mock_completed", (), 2)
    assert evaluate(rule, [Event("mock_completed", frozenset({"coding", "solo"}))]) == (1, 2, False)


def test_second_peer_mock_completes_at_the_second_peer_mock():
    content = load_content()
    first = content.module("mlsd-peer-mock-1").completion
    second = content.module("mlsd-peer-mock-2").completion
    one = [Event("mock_completed", frozenset({"ml_system_design", "peer"}))]
    solo = [Event("mock_completed", frozenset({"ml_system_design", "solo"}))]
    assert evaluate(first, one + solo)[2] is True
    assert evaluate(second, one + solo) == (1, 2, False)
    assert evaluate(second, one * 2) == (2, 2, True)


def test_checklist_counts_ticked_indexes_in_range():
    rule = ChecklistRule(("a", "b", "c"))
    assert evaluate(rule, set()) == (0, 3, False)
    assert evaluate(rule, {0, 2, 7, -1, True}) == (2, 3, False)
    assert evaluate(rule, {0, 1, 2}) == (3, 3, True)


def test_unknown_things_are_rejected():
    with pytest.raises(TypeError):
        evaluate(SLIDING, [object()])
    with pytest.raises(TypeError):
        evaluate("not a rule", [])  # type: ignore[arg-type]


def test_the_engine_core_imports_no_django():
    code = (
        "import sys, curriculum.engine, tooling.bench.engine;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'prep'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
