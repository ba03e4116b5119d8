"""manage.py content_report: the counts the issue asks for, and checks that fail loudly."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tooling.content import report as content_report

KEYS = {
    "cards_by_tag",
    "prompts_by_kind_and_tag",
    "worked_designs",
    "behavioral_questions",
    "company_profiles",
    "problems_by_pattern",
    "checks",
}


def test_the_catalogue_meets_every_count_with_all_checks_passing():
    out = StringIO()
    call_command("content_report", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert KEYS <= set(report)
    assert report["cards_by_tag"]["llm"] >= 30
    assert report["cards_by_tag"]["probability"] >= 25
    assert report["cards_by_tag"]["classical"] >= 20
    assert report["prompts_by_kind_and_tag"]["ml_system_design"]["llm"] >= 5
    assert report["worked_designs"] >= 4
    assert report["behavioral_questions"] >= 40
    assert report["company_profiles"] >= 12
    for pattern in (
        "bfs",
        "dfs",
        "topological_sort",
        "union_find",
        "shortest_paths",
        "mst",
        "monotonic_stack",
        "prefix_sums",
    ):
        assert report["problems_by_pattern"][pattern] >= 5, pattern
    assert set(report["checks"].values()) == {"pass"}, report["checks"]
    assert all(isinstance(report[k], int) for k in ("worked_designs", "company_profiles"))


def test_a_failing_check_exits_non_zero_and_says_why(monkeypatch):
    monkeypatch.setitem(content_report.MINIMUMS, ("worked_designs",), 99)
    out = StringIO()
    with pytest.raises(CommandError, match="minimum_counts"):
        call_command("content_report", stdout=out)
    assert "fail: worked_designs is 4, needs at least 99" in out.getvalue()


def test_a_card_without_a_checkable_source_fails_its_check(monkeypatch):
    from prep.flashcards import content as cards

    real = cards.parse_all

    def broken():
        decks = real()
        card = decks[0].cards[0]
        bad = type(card)(**{**card.__dict__, "source": "A blog I read"})
        return [type(decks[0])(**{**decks[0].__dict__, "cards": (bad, *decks[0].cards[1:])})]

    monkeypatch.setattr(cards, "parse_all", broken)
    report = content_report.build_report()
    assert report["checks"]["cards_have_checkable_sources"].startswith("fail: card ")


def test_a_module_naming_a_problem_that_does_not_count_fails(monkeypatch):
    import dataclasses

    from curriculum.engine import content as engine

    real = engine.load_content

    def broken(*args, **kwargs):
        loaded = real(*args, **kwargs)
        module = loaded.modules_by_slug["coding-graphs"]
        bad = dataclasses.replace(module, problems=("two-sum",))
        return dataclasses.replace(
            loaded,
            modules=tuple(bad if m.slug == "coding-graphs" else m for m in loaded.modules),
        )

    monkeypatch.setattr(engine, "load_content", broken)
    report = content_report.build_report()
    result = report["checks"]["module_problems_exist_and_count"]
    assert "'two-sum', which does not count toward it" in result
