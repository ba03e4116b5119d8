"""Re-solves are scheduled with the user's own re-solve parameters (``prep.memory``)."""

from __future__ import annotations

import datetime as dt

import pytest

from prep.drills import services
from prep.drills.models import ReviewState
from prep.memory import services as memory
from prep.memory import synthetic
from prep.memory.models import MemoryProfile
from prep.memory.parameters import parameters_for

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def log(user, problem, outcome, when):
    return services.attempt_log(
        user=user, problem=problem, outcome=outcome, minutes=30, confidence=3, now=when
    )


def test_adopted_re_solve_parameters_schedule_re_solves_and_not_flashcards(alice, bob, sliding):
    for user in (alice, bob):
        log(user, sliding, "failed", T0)
        log(user, sliding, "clean", T0 + dt.timedelta(days=1))
    default_due = ReviewState.objects.get(user=alice).due
    # Alice's re-solves get parameters of her own (a learner who forgets more slowly).
    MemoryProfile.objects.create(
        user=alice, kind="drills", parameters=list(synthetic.TRUE_PARAMETERS), version=1
    )
    preview = memory.reschedule(user=alice, kind="drills", apply=False)
    assert (preview.earlier, preview.later) == (0, 1)
    assert ReviewState.objects.get(user=alice).due == default_due  # a preview moves nothing
    memory.reschedule(user=alice, kind="drills", apply=True)
    assert ReviewState.objects.get(user=alice).due > default_due
    # The next attempt is scheduled with them too; Bob's and Alice's flashcards are not.
    log(alice, sliding, "clean", T0 + dt.timedelta(days=3))
    log(bob, sliding, "clean", T0 + dt.timedelta(days=3))
    assert ReviewState.objects.get(user=alice).due > ReviewState.objects.get(user=bob).due
    assert parameters_for(alice, "flashcards") != synthetic.TRUE_PARAMETERS
