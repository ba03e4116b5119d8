"""The one FSRS rule for problems practised by attempts (drills re-solves, judged ML coding
problems): attempts → an FSRS card, and a problem's review state kept from it.

The rule: a problem enters the schedule at its first attempt that is not clean; from there
every attempt is a review, rated by the app's outcome → rating mapping, at the attempt's
time, with the re-solve scheduler (whole days: no learning steps, no fuzz) and the user's
"problem re-solves" parameters (``Kind.DRILLS``). The schedule is derived from the
attempts, so it is rebuilt (not patched) whenever they change.

An app describes its attempts and review-state model with :class:`Resolves`; the memory
app imports no app, so the models come in as arguments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import fsrs

from . import fit
from .models import Kind
from .parameters import parameters_for
from .registry import Moves, Source, local_day, moves_between

CLEAN = "clean"
RETENTION = 0.9  # the scheduler's default; re-solves have no retention setting of their own

# Re-solves are days apart: no minute-long learning steps, and no fuzz, so the due date
# shown after an attempt is the one that holds (and tests are deterministic).
SCHEDULER = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def scheduler_for(parameters: Sequence[float] | None = None) -> fsrs.Scheduler:
    """The re-solve scheduler with ``parameters``; the FSRS defaults without them."""
    if parameters is None:
        return SCHEDULER
    return fsrs.Scheduler(
        parameters=tuple(parameters), learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )


def user_scheduler(user) -> fsrs.Scheduler:
    """The re-solve scheduler with ``user``'s "problem re-solves" parameters (one query)."""
    return scheduler_for(parameters_for(user, Kind.DRILLS))


def scheduled(attempts: Sequence) -> list:
    """The attempts the schedule replays: from the first one not clean (none if all are)."""
    start = next((i for i, a in enumerate(attempts) if a.outcome != CLEAN), None)
    return [] if start is None else list(attempts[start:])


@dataclass(frozen=True)
class Resolves:
    """How one app's problems are practised: its attempts and its review-state model.

    ``state_model`` has ``user``, ``problem``, ``due``, ``card`` (JSON), ``reviews`` and
    ``last_outcome``; ``attempts(user)`` is every attempt of the user ordered by problem
    and then time; ``at(attempt)`` is when it counts; ``rating(attempt)`` its FSRS rating.
    """

    attempts: Callable[[Any], Any]
    at: Callable[[Any], dt.datetime]
    rating: Callable[[Any], fsrs.Rating]
    state_model: Any

    def replay(self, attempts: Sequence, *, card_id: int, scheduler: fsrs.Scheduler):
        """``attempts`` of one problem in order → (its FSRS card, the scheduled attempts),
        or (None, []) when it was never anything but clean."""
        tail = scheduled(attempts)
        if not tail:
            return None, []
        card = fsrs.Card(card_id=card_id, due=self.at(tail[0]))
        for attempt in tail:
            card, _ = scheduler.review_card(
                card, self.rating(attempt), review_datetime=self.at(attempt)
            )
        return card, tail

    def values(self, attempts: Sequence, *, card_id: int, scheduler: fsrs.Scheduler):
        """The review state's fields ``attempts`` of one problem give (None: no state)."""
        card, tail = self.replay(attempts, card_id=card_id, scheduler=scheduler)
        if card is None:
            return None
        return {
            "due": card.due,
            "card": card.to_dict(),
            "reviews": len(tail),
            "last_outcome": tail[-1].outcome,
        }

    def rebuild(self, *, user, problem, attempts: Sequence, scheduler=None):
        """Store the review state ``attempts`` give ``problem`` (or delete it); returns it.

        One write either way: an upsert on the (user, problem) constraint (``INSERT … ON
        CONFLICT DO UPDATE``), which two racing rebuilds cannot break, rather than
        ``update_or_create``'s savepoints, locking read and write."""
        scheduler = scheduler or user_scheduler(user)
        values = self.values(attempts, card_id=problem.pk, scheduler=scheduler)
        if values is None:
            self.state_model.objects.filter(user=user, problem=problem).delete()
            return None
        state = self.state_model(user=user, problem=problem, **values)
        self.state_model.objects.bulk_create(
            [state],
            update_conflicts=True,
            unique_fields=["user", "problem"],
            update_fields=list(values),
        )
        return state

    def rebuild_many(self, *, user, attempts_by_problem: dict[int, Sequence]) -> None:
        """``rebuild`` for many problems of one user (an import): one read, one insert, one
        update and one delete at most."""
        scheduler = user_scheduler(user)
        model = self.state_model
        states = {
            s.problem_id: s
            for s in model.objects.filter(user=user, problem_id__in=list(attempts_by_problem))
        }
        to_create, to_update, to_delete = [], [], []
        for problem_id, attempts in attempts_by_problem.items():
            values = self.values(attempts, card_id=problem_id, scheduler=scheduler)
            state = states.get(problem_id)
            if values is None:
                if state is not None:
                    to_delete.append(state.pk)
            elif state is None:
                to_create.append(model(user=user, problem_id=problem_id, **values))
            else:
                for name, value in values.items():
                    setattr(state, name, value)
                to_update.append(state)
        if to_create:
            model.objects.bulk_create(to_create)
        if to_update:
            model.objects.bulk_update(to_update, ["due", "card", "reviews", "last_outcome"])
        if to_delete:
            model.objects.filter(pk__in=to_delete).delete()

    # --- as a source of the memory app (``Kind.DRILLS``) ---------------------------------
    def by_problem(self, user) -> dict[int, list]:
        """Each problem's scheduled attempts (problems never but clean left out)."""
        grouped: dict[int, list] = defaultdict(list)
        for attempt in self.attempts(user).iterator(chunk_size=5000):
            grouped[attempt.problem_id].append(attempt)
        out = {}
        for problem_id, attempts in grouped.items():
            tail = scheduled(attempts)
            if tail:
                out[problem_id] = tail
        return out

    def histories(self, user, *, tz) -> list[list[fit.Review]]:
        return [
            [
                (self.at(a).timestamp(), local_day(self.at(a), tz), int(self.rating(a)))
                for a in attempts
            ]
            for attempts in self.by_problem(user).values()
        ]

    def usable_reviews(self, user) -> int:
        return sum(len(a) - 1 for a in self.by_problem(user).values())

    def reschedule(self, user, *, parameters, tz, now: dt.datetime, apply: bool) -> Moves:
        """Replay every scheduled problem with ``parameters``; count how its due date moves."""
        scheduler = scheduler_for(parameters)
        states = {
            s.problem_id: s
            for s in self.state_model.objects.filter(user=user).select_related("problem")
        }
        pairs = []
        for problem_id, attempts in self.by_problem(user).items():
            state = states.get(problem_id)
            if state is None:
                continue
            if apply:
                new = self.rebuild(
                    user=user, problem=state.problem, attempts=attempts, scheduler=scheduler
                )
                pairs.append((state.due, new.due))
                continue
            card, _ = self.replay(attempts, card_id=problem_id, scheduler=scheduler)
            pairs.append((state.due, card.due))
        return moves_between(pairs, tz)

    def source(self, *, noun: str = "problem") -> Source:
        return Source(
            kind=Kind.DRILLS,
            noun=noun,
            histories=self.histories,
            usable_reviews=self.usable_reviews,
            reschedule=self.reschedule,
            retention=lambda user: RETENTION,
        )


@dataclass(frozen=True)
class Figures:
    """What the dashboard shows of one app's re-solves and coding evidence (``figures``)."""

    due_count: int  # review states due before the user's local day ends
    due: list[tuple[str, str]]  # (title, slug) of the first few due, soonest first
    solved: int  # distinct problems with an attempt whose outcome is in ``solved_outcomes``
    recent: list[str]  # outcomes of the latest attempts, newest first


FIGURES_SQL = """
SELECT 0, CAST(NULL AS TEXT), CAST(NULL AS TEXT),
    (SELECT COUNT(*) FROM {state} s WHERE s.user_id = %(user)s AND s.due < %(day_end)s),
    (SELECT COUNT(DISTINCT a.problem_id) FROM {attempt} a
        WHERE a.user_id = %(user)s AND a.outcome IN ({solved})),
    CAST(0 AS BIGINT)
UNION ALL
SELECT * FROM (
    SELECT 1, p.title, p.slug, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
        ROW_NUMBER() OVER (ORDER BY s.due, p.position, p.id)
    FROM {state} s JOIN {problem} p ON p.id = s.problem_id
    WHERE s.user_id = %(user)s AND s.due < %(day_end)s
    ORDER BY s.due, p.position, p.id LIMIT %(limit)s
) due_rows
UNION ALL
SELECT * FROM (
    SELECT 2, a.outcome, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
        ROW_NUMBER() OVER (ORDER BY {newest})
    FROM {attempt} a WHERE a.user_id = %(user)s ORDER BY {newest} LIMIT %(recent)s
) recent_rows
"""


def figures(
    *,
    state_model,
    attempt_model,
    newest: Sequence[str],
    solved_outcomes: Sequence[str],
    user_id: int,
    day_end: dt.datetime,
    limit: int,
    recent: int,
) -> Figures:
    """One app's re-solves due and coding evidence in one statement (the dashboard's today
    list and readiness ask both on every view): the count of review states of
    ``state_model`` due before ``day_end`` and the first ``limit`` of them (their problem's
    title and slug, soonest first, then by the bank's position), the distinct problems
    solved and the outcomes of the last ``recent`` attempts of ``attempt_model`` (ordered by
    the ``newest`` columns, each descending). Raw SQL, as ``FIGURES_SQL`` shows: building
    the same four reads through the ORM cost ten times its CPU on every dashboard view."""
    from django.db import connection

    problem = state_model._meta.get_field("problem").related_model
    solved = ", ".join(f"%(solved{n})s" for n in range(len(solved_outcomes)))
    sql = FIGURES_SQL.format(
        state=connection.ops.quote_name(state_model._meta.db_table),
        attempt=connection.ops.quote_name(attempt_model._meta.db_table),
        problem=connection.ops.quote_name(problem._meta.db_table),
        solved=solved or "NULL",
        newest=", ".join(f"a.{connection.ops.quote_name(c)} DESC" for c in newest),
    )
    params = {
        "user": user_id,
        "day_end": connection.ops.adapt_datetimefield_value(day_end),
        "limit": max(limit, 0),
        "recent": max(recent, 0),
        **{f"solved{n}": outcome for n, outcome in enumerate(solved_outcomes)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[5]))
    head = rows[0]
    return Figures(
        due_count=head[3] or 0,
        due=[(title, slug) for part, title, slug, *_ in rows if part == 1],
        solved=head[4] or 0,
        recent=[outcome for part, outcome, *_ in rows if part == 2],
    )
