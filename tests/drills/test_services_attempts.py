"""Attempts, timers and the progress seam."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from curriculum.models import Module, ModuleProgress, ProgressEvent
from prep.drills import services
from prep.drills.models import Attempt, Timer
from tests.drills.factories import problem

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def events(user, **filters):
    return ProgressEvent.objects.filter(user=user, retracted_at=None, **filters)


def test_timer_keeps_its_first_start_and_gives_the_minutes(alice, sliding):
    first = services.timer_start(user=alice, problem=sliding, now=T0)
    again = services.timer_start(user=alice, problem=sliding, now=T0 + dt.timedelta(minutes=5))
    assert again.pk == first.pk and again.started_at == T0
    attempt = services.attempt_log(
        user=alice, problem=sliding, outcome="clean", now=T0 + dt.timedelta(minutes=27, seconds=5)
    )
    assert attempt.minutes == 28  # rounded up
    assert attempt.started_at == T0
    assert not Timer.objects.filter(user=alice).exists()


def test_typed_minutes_win_over_the_timer(alice, sliding):
    services.timer_start(user=alice, problem=sliding, now=T0)
    attempt = services.attempt_log(
        user=alice, problem=sliding, outcome="clean", minutes=40, now=T0 + dt.timedelta(hours=3)
    )
    assert attempt.minutes == 40


def test_no_timer_and_no_minutes_is_refused(alice, sliding):
    with pytest.raises(services.DrillError):
        services.attempt_log(user=alice, problem=sliding, outcome="clean", now=T0)
    assert not Attempt.objects.exists()


def test_elapsed_minutes_is_bounded():
    assert services.elapsed_minutes(T0, T0) == 1
    assert services.elapsed_minutes(T0, T0 + dt.timedelta(days=3)) == services.MAX_MINUTES


def test_every_attempt_reports_drill_attempted_with_patterns_and_difficulty(alice, sliding):
    a = services.attempt_log(user=alice, problem=sliding, outcome="failed", minutes=30, now=T0)
    event = events(alice).get()
    assert event.key == f"drills:attempt:{a.pk}"
    assert event.kind == "drill_attempted"
    assert event.area == "coding"
    assert set(event.tags) == {"sliding_window", "hashing", "medium"}
    assert event.occurred_at == T0


@pytest.mark.parametrize("outcome", ["clean", "hints"])
def test_a_solve_reports_drill_solved(alice, sliding, outcome):
    a = services.attempt_log(user=alice, problem=sliding, outcome=outcome, minutes=30, now=T0)
    solved = events(alice, kind="drill_solved").get()
    assert solved.key == f"drills:solved:{a.pk}"
    assert set(solved.tags) == {"sliding_window", "hashing", "medium"}


def test_a_failure_reports_no_solve(alice, sliding):
    services.attempt_log(user=alice, problem=sliding, outcome="failed", minutes=30, now=T0)
    assert not events(alice, kind="drill_solved").exists()


def test_solving_the_same_problem_twice_counts_one_problem(alice, sliding):
    for day in range(3):
        services.attempt_log(
            user=alice,
            problem=sliding,
            outcome="clean",
            minutes=20,
            now=T0 + dt.timedelta(days=day),
        )
    assert events(alice, kind="drill_attempted").count() == 3
    assert events(alice, kind="drill_solved").count() == 1


def test_deleting_an_attempt_retracts_it_and_hands_the_solve_on(alice, sliding):
    first = services.attempt_log(user=alice, problem=sliding, outcome="clean", minutes=20, now=T0)
    second = services.attempt_log(
        user=alice, problem=sliding, outcome="hints", minutes=25, now=T0 + dt.timedelta(days=1)
    )
    services.attempt_delete(attempt=first)
    assert not events(alice, key=f"drills:attempt:{first.pk}").exists()
    assert not events(alice, key=f"drills:solved:{first.pk}").exists()
    assert events(alice, kind="drill_solved").get().key == f"drills:solved:{second.pk}"
    services.attempt_delete(attempt=Attempt.objects.get(pk=second.pk))
    assert not events(alice).exists()


def test_three_medium_sliding_window_solves_complete_the_module(alice):
    module = Module.objects.get(slug="coding-sliding-window")
    slugs = [
        "longest-substring-without-repeating-characters",
        "longest-repeating-character-replacement",
        "permutation-in-string",
    ]
    for i, slug in enumerate(slugs):
        services.attempt_log(
            user=alice,
            problem=problem(slug),
            outcome="clean",
            minutes=30,
            now=T0 + dt.timedelta(hours=i),
        )
    row = ModuleProgress.objects.get(user=alice, module=module)
    assert (row.done, row.target, row.complete) == (3, 3, True)
    last = Attempt.objects.filter(user=alice).latest("finished_at")
    services.attempt_delete(attempt=last)
    row.refresh_from_db()
    assert (row.done, row.complete) == (2, False)


def test_an_easy_solve_does_not_count_for_a_medium_module(alice):
    services.attempt_log(
        user=alice,
        problem=problem("best-time-to-buy-and-sell-stock"),
        outcome="clean",
        minutes=10,
        now=T0,
    )
    module = Module.objects.get(slug="coding-sliding-window")
    assert not ModuleProgress.objects.filter(user=alice, module=module, done__gt=0).exists()


def test_custom_problem_is_private_and_reports_its_patterns(alice, charlie):
    from prep.drills.models import Pattern, Problem

    p = services.problem_create(
        user=alice,
        title="Sliding median",
        difficulty="hard",
        patterns=list(Pattern.objects.filter(slug__in=["sliding_window", "heap"])),
    )
    again = services.problem_create(
        user=alice,
        title="Sliding median",
        difficulty="hard",
        patterns=list(Pattern.objects.filter(slug="heap")),
    )
    assert p.slug == "sliding-median" and again.slug == "sliding-median-2"
    assert Problem.objects.visible_to(alice).filter(pk=p.pk).exists()
    assert not Problem.objects.visible_to(charlie).filter(pk=p.pk).exists()
    services.attempt_log(user=alice, problem=p, outcome="clean", minutes=50, now=timezone.now())
    assert set(events(alice, kind="drill_solved").get().tags) == {"sliding_window", "heap", "hard"}
