"""The problem bank: real, well-formed, and in step with the curriculum's rules."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from curriculum.models import Module
from prep.drills import catalogue
from prep.drills.models import Attempt, Pattern, Problem
from tests.drills.factories import problem

pytestmark = pytest.mark.django_db

LINK = re.compile(r"^https://leetcode\.com/problems/([a-z0-9]+(?:-[a-z0-9]+)*)/$")


def bank():
    return list(Problem.objects.filter(owner__isnull=True).prefetch_related("patterns", "lists"))


def test_at_least_150_problems_with_unique_slugs():
    problems = bank()
    assert len(problems) >= 150
    slugs = [p.slug for p in problems]
    assert len(slugs) == len(set(slugs))
    raw = yaml.safe_load(catalogue.PROBLEMS_FILE.read_text())["problems"]
    assert len({p["slug"] for p in raw}) == len(raw)


def test_every_link_is_the_leetcode_problem_page_of_its_slug():
    for p in bank():
        match = LINK.match(p.url)
        assert match, p.url
        assert match.group(1) == p.slug


def test_mediums_are_the_largest_share_and_every_difficulty_is_present():
    mix = Counter(p.difficulty for p in bank())
    assert set(mix) == {"easy", "medium", "hard"}
    assert mix["medium"] > mix["easy"] and mix["medium"] > mix["hard"]


def test_at_least_five_problems_for_each_pattern_used():
    counts = Counter(pat.slug for p in bank() for pat in p.patterns.all())
    assert counts, "no patterns"
    for slug, n in counts.items():
        assert n >= 5, f"pattern {slug} has only {n} problems"


def test_the_well_known_lists_are_complete():
    lists = Counter(x.slug for p in bank() for x in p.lists.all())
    assert lists == {"blind75": 75, "neetcode150": 150, "grind75": 75}


def test_known_facts():
    assert problem("two-sum").title == "Two Sum"
    assert problem("two-sum").difficulty == "easy"
    assert problem("median-of-two-sorted-arrays").difficulty == "hard"
    lru = problem("lru-cache")
    assert lru.difficulty == "medium"
    assert {"neetcode150", "grind75"} <= {x.slug for x in lru.lists.all()}
    assert problem("meeting-rooms").premium


def test_every_curriculum_drill_rule_can_be_met_by_the_bank():
    """Each drill_solved rule names a pattern of the bank and enough problems to meet it."""
    patterns = set(Pattern.objects.values_list("slug", flat=True))
    rules = [
        m.completion
        for m in Module.objects.active()
        if m.completion.get("type") == "events" and m.completion.get("event") == "drill_solved"
    ]
    assert rules, "the curriculum has drill rules"
    problems = bank()
    for rule in rules:
        tags = set(rule["tags"])
        difficulty = tags & {"easy", "medium", "hard"}
        assert tags - {"easy", "medium", "hard"} <= patterns, rule
        matching = [
            p for p in problems if tags <= ({pat.slug for pat in p.patterns.all()} | {p.difficulty})
        ]
        assert len(matching) >= rule["count"], (rule, difficulty)


def test_reload_is_idempotent_and_keeps_user_state(alice, two_sum):
    Attempt.objects.create(
        user=alice,
        problem=two_sum,
        finished_at="2026-01-01T10:00:00Z",
        minutes=10,
        outcome="clean",
    )
    pk = two_sum.pk
    summary = catalogue.load()
    assert "0 new, 0 updated" in summary
    assert Problem.objects.get(slug="two-sum", owner__isnull=True).pk == pk
    assert Attempt.objects.filter(user=alice, problem_id=pk).count() == 1


def test_a_content_update_changes_rows_in_place(tmp_path, two_sum):
    data = yaml.safe_load(catalogue.PROBLEMS_FILE.read_text())
    data["problems"][2]["title"] = "Two Sum (renamed)"
    path = tmp_path / "problems.yaml"
    path.write_text(yaml.safe_dump(data))
    summary = catalogue.load(path)
    assert "1 updated" in summary
    assert Problem.objects.get(pk=two_sum.pk).title == "Two Sum (renamed)"
    catalogue.load()
    assert Problem.objects.get(pk=two_sum.pk).title == "Two Sum"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["problems"][0].update(difficulty="medum"), "field 'difficulty'"),
        (lambda d: d["problems"][0].update(patterns=["nope"]), "unknown pattern 'nope'"),
        (lambda d: d["problems"][1].update(slug="contains-duplicate"), "duplicate"),
        (lambda d: d["problems"][0].update(slug="Bad Slug"), "field 'slug'"),
        (lambda d: d["problems"][0].update(lists=["top100"]), "unknown list 'top100'"),
        (lambda d: d["problems"][0].pop("title"), "field 'title'"),
    ],
)
def test_bad_content_names_file_entry_and_field(tmp_path, mutate, message):
    data = yaml.safe_load(catalogue.PROBLEMS_FILE.read_text())
    mutate(data)
    path = tmp_path / "problems.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError, match="problems.yaml") as info:
        catalogue.load(path)
    assert message in str(info.value)
    assert "problem" in str(info.value)


def test_past_attempts_on_a_re_tagged_problem_count_toward_the_new_modules(tmp_path, alice):
    """Progress is per problem: moving a problem to a new pattern moves its past solves too."""
    from curriculum import progress
    from curriculum.models import ModuleProgress, ProgressEvent
    from prep.drills import services

    data = yaml.safe_load(catalogue.PROBLEMS_FILE.read_text())
    old = next(p for p in data["problems"] if p["slug"] == "rotting-oranges")
    old["patterns"] = ["graphs"]  # the bank before the split
    path = tmp_path / "problems.yaml"
    path.write_text(yaml.safe_dump(data))
    catalogue.load(path)
    oranges = problem("rotting-oranges")
    attempt = services.attempt_log(
        user=alice,
        problem=oranges,
        outcome="clean",
        minutes=20,
        now=timezone_now(),
    )
    solved = ProgressEvent.objects.get(user=alice, key=f"drills:solved:{attempt.pk}")
    assert "bfs" not in solved.tags
    bfs = Module.objects.get(slug="coding-graphs")  # "Graphs: breadth-first search"
    assert not ModuleProgress.objects.filter(user=alice, module=bfs, done__gt=0).exists()

    summary = catalogue.load()  # the split bank: Rotting Oranges is a BFS problem now

    assert "2 past report(s) re-tagged" in summary
    solved.refresh_from_db()
    assert {"graphs", "bfs", "medium"} <= set(solved.tags)
    assert ModuleProgress.objects.get(user=alice, module=bfs).done == 1
    # Idempotent: a second load re-tags nothing.
    assert "re-tagged" not in catalogue.load()
    assert progress.retag(alice, tags_by_key={solved.key: solved.tags}) == 0


def timezone_now():
    import datetime as dt

    return dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
