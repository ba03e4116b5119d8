"""The review service against a bare fsrs.Scheduler, undo, duplicates, days and limits."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import fsrs
import pytest

from curriculum.models import ProgressEvent
from prep.flashcards import selectors, services, tasks
from prep.flashcards.models import Card, CardState, ReviewLog, StudySettings
from prep.flashcards.selectors import Scope
from tests.flashcards.factories import own_card, tradeoffs

pytestmark = pytest.mark.django_db

UTC = dt.UTC
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def next_card(user, scope, *, study, now, day):
    """The queue's next card, checking that the one-query queue's counts are queue_counts'."""
    counts, state = selectors.queue(user, scope, study=study, now=now, day=day)
    assert counts == selectors.queue_counts(user, scope, study=study, now=now, day=day)
    return state


def fields(card: fsrs.Card):
    return (int(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review)


def stored(state: CardState):
    state = CardState.objects.get(pk=state.pk)  # reload: what the database holds
    return (
        state.state,
        state.step,
        state.stability,
        state.difficulty,
        state.due,
        state.last_review,
    )


@pytest.mark.parametrize("retention", [0.9, 0.8])
def test_replay_matches_a_bare_scheduler_at_every_step_with_an_undo(alice, retention):
    services.study_settings_update(user=alice, new_per_day=20, desired_retention=retention)
    study = StudySettings.objects.get(user=alice)
    card = own_card(alice)
    state = CardState.objects.get(card=card, user=alice)
    bare = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)
    reference = fsrs.Card(card_id=state.pk, due=T0)
    history = [reference]

    # (rating, hours after the card's due) — 0 means exactly when due; "undo" undoes.
    script = [3, 3, 1, 3, 3, "undo", 4, 2, 3, 1, 3, "undo", "undo", 3, 3, 4, 3]
    at = T0
    for step in script:
        if step == "undo":
            services.review_undo(user=alice)
            history.pop()
            reference = history[-1]
        else:
            current = CardState.objects.get(pk=state.pk)
            at = max(at + dt.timedelta(minutes=1), current.due) + dt.timedelta(hours=3)
            outcome = services.card_review(
                user=alice,
                state_id=state.pk,
                seq=current.reps,
                rating=step,
                reviewed_at=at,
                now=at + dt.timedelta(seconds=9),
                study=study,
            )
            assert not outcome.duplicate
            reference, _ = bare.review_card(reference, fsrs.Rating(step), review_datetime=at)
            history.append(reference)
        if len(history) == 1:
            assert CardState.objects.get(pk=state.pk).state == CardState.State.NEW
        else:
            assert stored(state) == fields(reference), f"diverged after {step!r}"
    # 17 steps, 3 undone ratings each removing one log: 14 − 3 = 11 logs remain.
    assert ReviewLog.objects.filter(card_state=state).count() == len(history) - 1 == 11


def test_undo_restores_the_exact_previous_state_and_review_count(alice):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    services.card_review(user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=T0)
    before = CardState.objects.get(pk=state.pk)
    services.card_review(
        user=alice, state_id=state.pk, seq=1, rating=1, reviewed_at=T0 + dt.timedelta(minutes=20)
    )
    restored = services.review_undo(user=alice)
    after = CardState.objects.get(pk=state.pk)
    assert restored.pk == state.pk
    for name in (
        "state",
        "step",
        "stability",
        "difficulty",
        "due",
        "last_review",
        "reps",
        "lapses",
    ):
        assert getattr(after, name) == getattr(before, name), name
    services.review_undo(user=alice)
    new_again = CardState.objects.get(pk=state.pk)
    assert (new_again.state, new_again.reps, new_again.stability) == (CardState.State.NEW, 0, None)
    assert services.review_undo(user=alice) is None


def test_the_same_showing_rated_twice_is_recorded_once(alice, django_capture_on_commit_callbacks):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    with django_capture_on_commit_callbacks(execute=True) as reports:
        first = services.card_review(user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=T0)
        second = services.card_review(
            user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=T0
        )
    assert len(reports_to_curriculum(reports)) == 1  # one report enqueued, for the first
    assert not first.duplicate and second.duplicate
    assert ReviewLog.objects.filter(card_state=state).count() == 1
    assert CardState.objects.get(pk=state.pk).reps == 1
    assert ProgressEvent.objects.filter(user=alice, kind="card_reviewed").count() == 1


def test_a_showing_taken_after_the_read_is_a_duplicate(alice):
    """The request reads the state without a lock; a rating of the same showing that lands
    between that read and the write (another tab) leaves the write nothing to apply."""
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    read = CardState.objects.get(pk=state.pk)  # what the request read
    services.card_review(user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=T0)
    outcome = services.card_review(
        user=alice, state_id=state.pk, seq=0, rating=1, reviewed_at=T0, state=read
    )
    assert outcome.duplicate and outcome.log is None
    assert list(ReviewLog.objects.filter(card_state=state).values_list("rating", flat=True)) == [3]
    assert CardState.objects.get(pk=state.pk).reps == 1


def test_a_state_changed_after_the_read_is_reviewed_as_it_now_is(alice):
    """If the row changes between the read and the write (here a reschedule, which keeps
    the review count), the write applies nothing and the rating is decided again under the
    row's lock, from the row as it now is: what a bare scheduler gives from that state."""
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    services.card_review(user=alice, state_id=state.pk, seq=0, rating=4, reviewed_at=T0)
    read = CardState.objects.get(pk=state.pk)
    CardState.objects.filter(pk=state.pk).update(
        due=read.due + dt.timedelta(days=3), stability=read.stability * 2
    )
    current = CardState.objects.get(pk=state.pk)
    at = current.due + dt.timedelta(hours=5)
    expected, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
        services.to_fsrs(current), fsrs.Rating.Good, review_datetime=at
    )
    outcome = services.card_review(
        user=alice, state_id=state.pk, seq=1, rating=3, reviewed_at=at, state=read
    )
    assert not outcome.duplicate
    assert stored(state) == fields(expected)
    log = ReviewLog.objects.get(pk=outcome.log.pk)
    assert (log.seq, log.prev_due, log.prev_stability) == (1, current.due, current.stability)
    assert CardState.objects.get(pk=state.pk).reps == 2


def test_the_unique_constraint_refuses_a_second_log_for_one_showing(alice):
    """The database, not only the service's check, guarantees one log per showing."""
    from django.db import IntegrityError, transaction

    card = own_card(alice)
    state = CardState.objects.get(card=card)
    services.card_review(user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=T0)
    log = ReviewLog.objects.get(card_state=state)
    log.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        log.save()


def test_each_review_reports_progress_with_deck_and_topic_and_undo_retracts(
    alice, django_capture_on_commit_callbacks
):
    services.states_enrol(user=alice)
    card = Card.objects.get(deck=tradeoffs(), slug="momentum-ravines")
    state = CardState.objects.get(user=alice, card=card)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.card_review(
            user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=T0
        )
    event = ProgressEvent.objects.get(user=alice, key=f"flashcards:review:{outcome.log.pk}")
    assert event.kind == "card_reviewed"
    assert event.area == "ml_fundamentals"
    assert sorted(event.tags) == ["deck:tradeoffs", "topic:optimisation"]
    assert event.occurred_at == T0
    assert event.retracted_at is None
    with django_capture_on_commit_callbacks(execute=True):
        services.review_undo(user=alice)
    event.refresh_from_db()
    assert event.retracted_at is not None


@pytest.mark.parametrize("order", ["report, undo, retract", "undo, retract, report"])
def test_an_undone_review_never_counts_whatever_order_the_tasks_run_in(
    alice, order, django_capture_on_commit_callbacks
):
    """With a broker, the report and the undo's retraction may run in either order."""
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    with django_capture_on_commit_callbacks() as reports:  # enqueued, not run yet
        outcome = services.card_review(
            user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=T0
        )
    key = services.progress_key(outcome.log.pk)
    if order.startswith("report"):
        reports[0]()
        assert ProgressEvent.objects.get(key=key).retracted_at is None
    with django_capture_on_commit_callbacks() as retracts:
        services.review_undo(user=alice)
    retracts[0]()
    if order.endswith("report"):
        reports[0]()  # the log is gone: nothing to report
    assert not ProgressEvent.objects.filter(key=key, retracted_at=None).exists()
    # Each task is idempotent: running it again changes nothing.
    assert tasks.review_report(outcome.log.pk) is False
    assert tasks.review_retract(alice.pk, outcome.log.pk) is False


def test_a_review_counts_towards_the_curriculum_module(alice, django_capture_on_commit_callbacks):
    from curriculum.models import ModuleProgress

    services.states_enrol(user=alice)
    states = CardState.objects.filter(user=alice, card__topic="optimisation")[:3]
    with django_capture_on_commit_callbacks(execute=True):
        for state in states:
            services.card_review(user=alice, state_id=state.pk, seq=0, rating=4, reviewed_at=T0)
    progress = ModuleProgress.objects.get(user=alice, module__slug="mlf-optimisation")
    assert (progress.done, progress.target) == (3, 15)


def test_preview_intervals_are_the_intervals_given(alice):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    services.card_review(user=alice, state_id=state.pk, seq=0, rating=4, reviewed_at=T0)
    state.refresh_from_db()
    at = state.due + dt.timedelta(days=2, hours=5)
    scheduler = services.scheduler_for(None)
    shown = services.preview(state, scheduler, at)
    for rating in (1, 2, 3, 4):
        services.card_review(
            user=alice, state_id=state.pk, seq=state.reps, rating=rating, reviewed_at=at
        )
        given = CardState.objects.get(pk=state.pk).due - at
        assert given == shown[rating]
        services.review_undo(user=alice)


def test_higher_desired_retention_gives_shorter_intervals(alice):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    services.card_review(user=alice, state_id=state.pk, seq=0, rating=4, reviewed_at=T0)
    state.refresh_from_db()
    at = state.due
    low = services.preview(state, fsrs.Scheduler(desired_retention=0.7, enable_fuzzing=False), at)
    high = services.preview(state, fsrs.Scheduler(desired_retention=0.97, enable_fuzzing=False), at)
    assert high[3] < low[3]


def test_a_stale_or_forged_showing_token_is_refused(alice):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    token = services.showing_token(state, T0)
    assert services.showing_read(token, now=T0 + dt.timedelta(seconds=5)).seq == 0
    with pytest.raises(services.ReviewError):
        services.showing_read(token, now=T0 + dt.timedelta(hours=13))
    with pytest.raises(services.ReviewError):
        services.showing_read(token[:-2] + "xx", now=T0)


# --- The day boundary and the new-card limit ---------------------------------------------------
def test_due_today_follows_the_users_timezone(alice):
    tz = zoneinfo.ZoneInfo("America/Los_Angeles")
    now = dt.datetime(2025, 6, 10, 9, 0, tzinfo=tz)  # 16:00 UTC
    tonight = own_card(alice, front="tonight")
    tomorrow = own_card(alice, front="tomorrow")
    for card, local_due in (
        (tonight, dt.datetime(2025, 6, 10, 23, 30, tzinfo=tz)),  # 06:30 UTC on the 11th
        (tomorrow, dt.datetime(2025, 6, 11, 0, 30, tzinfo=tz)),
    ):
        CardState.objects.filter(card=card).update(
            state=CardState.State.REVIEW,
            stability=5.0,
            difficulty=5.0,
            due=local_due,
            last_review=local_due - dt.timedelta(days=5),
            reps=3,
        )
    study = services.study_settings_get(alice)
    day = selectors.day_bounds(tz, now)
    assert day[0] == dt.datetime(2025, 6, 10, 7, 0, tzinfo=UTC)
    counts = selectors.queue_counts(alice, Scope(), study=study, now=now, day=day)
    assert counts.review == 1
    shown = next_card(alice, Scope(), study=study, now=now, day=day)
    assert shown.card == tonight
    # In UTC the same instant is already "the 10th, 16:00" and both fall on the 11th UTC: 0 due.
    utc_day = selectors.day_bounds(dt.UTC, now)
    assert selectors.queue_counts(alice, Scope(), study=study, now=now, day=utc_day).review == 0


def test_new_cards_per_day_is_a_limit_per_local_day(alice):
    services.study_settings_update(user=alice, new_per_day=2, desired_retention=0.9)
    study = StudySettings.objects.get(user=alice)
    for i in range(4):
        own_card(alice, front=f"q{i}")
    tz = zoneinfo.ZoneInfo("Asia/Tokyo")
    now = dt.datetime(2025, 6, 10, 20, 0, tzinfo=tz)
    day = selectors.day_bounds(tz, now)
    for _ in range(2):
        counts = selectors.queue_counts(alice, Scope(), study=study, now=now, day=day)
        state = next_card(alice, Scope(), study=study, now=now, day=day)
        assert state.state == CardState.State.NEW
        services.card_review(user=alice, state_id=state.pk, seq=0, rating=4, reviewed_at=now)
    counts = selectors.queue_counts(alice, Scope(), study=study, now=now, day=day)
    assert (counts.new, counts.new_available) == (0, 2)
    assert next_card(alice, Scope(), study=study, now=now, day=day) is None
    # After local midnight (15:00 UTC), two more new cards are allowed.
    later = dt.datetime(2025, 6, 11, 0, 5, tzinfo=tz)
    next_day = selectors.day_bounds(tz, later)
    counts = selectors.queue_counts(alice, Scope(), study=study, now=later, day=next_day)
    assert counts.new == 2


def test_suspended_cards_are_never_shown(alice):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    services.card_suspend(state=state, suspended=True)
    study = services.study_settings_get(alice)
    day = selectors.day_bounds(dt.UTC, T0)
    counts = selectors.queue_counts(alice, Scope(), study=study, now=T0, day=day)
    assert counts.total == 0
    assert next_card(alice, Scope(), study=study, now=T0, day=day) is None


def test_learning_cards_come_back_within_the_learn_ahead_limit(alice):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    services.card_review(user=alice, state_id=state.pk, seq=0, rating=1, reviewed_at=T0)
    study = services.study_settings_get(alice)
    day = selectors.day_bounds(dt.UTC, T0)
    counts = selectors.queue_counts(alice, Scope(), study=study, now=T0, day=day)
    assert counts.learning == 0 and counts.learn_ahead == 1
    assert next_card(alice, Scope(), study=study, now=T0, day=day).pk == state.pk
    later = T0 + dt.timedelta(minutes=5)  # due now: learning, and still within the limit
    counts = selectors.queue_counts(alice, Scope(), study=study, now=later, day=day)
    assert counts.learning == 1 and counts.learn_ahead == 1


def test_topic_scope_only_shows_that_topic(alice):
    services.states_enrol(user=alice)
    scope = Scope(deck=tradeoffs(), topic="evaluation")
    study = services.study_settings_get(alice)
    day = selectors.day_bounds(dt.UTC, T0)
    counts = selectors.queue_counts(alice, scope, study=study, now=T0, day=day)
    state = next_card(alice, scope, study=study, now=T0, day=day)
    assert state.card.topic == "evaluation"
    in_topic = Card.objects.filter(topic="evaluation", owner=None).count()
    # New cards are counted up to the daily limit: no more can be shown today.
    assert counts.new_available == min(in_topic, study.new_per_day)
    assert counts.new == min(in_topic, study.new_per_day)


def test_enrolment_is_idempotent(alice):
    first = services.states_enrol(user=alice)
    assert first >= 80
    assert services.states_enrol(user=alice) == 0
    assert CardState.objects.filter(user=alice).count() == first


def reports_to_curriculum(callbacks) -> list:
    """The on-commit callbacks that report a rating (the curriculum then announces its own
    ``progress_changed``, which the dashboard listens to)."""
    return [c for c in callbacks if "review_report" in repr(c)]


def test_due_learning_relearning_and_review_cards_come_by_due_date(alice):
    """The queue reads the first due card of each state off the index and shows the
    earliest of them: states do not take turns."""
    S = CardState.State
    due = {}
    for name, state, minutes in (
        ("learning", S.LEARNING, 5),
        ("relearning", S.RELEARNING, 15),
        ("review", S.REVIEW, 10),
        ("relearning later", S.RELEARNING, 1),
    ):
        card = own_card(alice, front=name)
        due[name] = T0 - dt.timedelta(minutes=minutes)
        CardState.objects.filter(card=card).update(
            state=state, step=0, stability=2.0, difficulty=5.0, due=due[name],
            last_review=T0 - dt.timedelta(days=1), reps=2,
        )  # fmt: skip
    study = services.study_settings_get(alice)
    day = selectors.day_bounds(dt.UTC, T0)
    shown = []
    for _ in range(4):
        state = next_card(alice, Scope(), study=study, now=T0, day=day)
        shown.append(state.card.front)
        CardState.objects.filter(pk=state.pk).update(due=T0 + dt.timedelta(days=30))
    assert shown == ["relearning", "review", "learning", "relearning later"]
