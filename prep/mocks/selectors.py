"""Reads of the mocks app. Each does its own joins so a page's query count stays flat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from curriculum.models import Module
from curriculum.selectors import module_progress

from .models import DimensionScore, MockKind, PhaseNote, Prompt, Rubric, RubricFeedback, SoloMock

HISTORY_LIMIT = 100


def prompt_list(*, user, kind: str | None = None):
    """Active prompts (of ``kind``), each with how many mocks ``user`` completed on it."""
    qs = Prompt.objects.active().annotate(
        done_count=Count(
            "solo_mocks",
            filter=Q(solo_mocks__user=user, solo_mocks__status=SoloMock.Status.COMPLETED),
        )
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "position", "id")


def open_mocks(*, user):
    """The user's mocks that are still running or waiting for a self-score."""
    return (
        SoloMock.objects.for_user(user)
        .exclude(status=SoloMock.Status.COMPLETED)
        .select_related("prompt")
        .order_by("-started_at")[:10]
    )


def mocks_on_prompt(*, user, prompt: Prompt):
    return (
        SoloMock.objects.for_user(user)
        .filter(prompt=prompt)
        .prefetch_related(Prefetch("feedback", queryset=RubricFeedback.objects.filter(author=user)))
        .order_by("-started_at")[:20]
    )


def solo_mock_notes(*, mock: SoloMock) -> dict[str, str]:
    return dict(PhaseNote.objects.filter(mock=mock).values_list("phase", "text"))


def solo_self_score(*, mock: SoloMock) -> RubricFeedback | None:
    return (
        RubricFeedback.objects.filter(solo_mock=mock, author_id=mock.user_id)
        .prefetch_related("scores")
        .first()
    )


def feedback_visible(*, user, now=None):
    """Feedback ``user`` may read: what they gave, and what they received once it is
    revealed (``models.feedback_visible_q``, the one owner of that rule). Every reader of
    feedback or scores — pages, fragments, the dashboard, readiness, the export — starts here.
    """
    return RubricFeedback.objects.visible_to(user, now=now)


def scores_received(*, user, now=None):
    """The rubric scores given about ``user`` that they may read (self-scores included)."""
    return DimensionScore.objects.filter(
        feedback__in=feedback_visible(user=user, now=now).filter(subject=user).values("pk")
    )


def feedback_for_user(*, user):
    """Feedback a user may read, with what its page shows."""
    return feedback_visible(user=user).select_related("author", "subject", "solo_mock__prompt")


def plan_progress(*, user, role: str | None, kind: str | None = None) -> list[dict]:
    """The curriculum's mock modules done on these pages, with the user's progress on each.

    A module belongs here when its work is done at ``mocks:prompt_list`` and it completes
    from ``mock_completed`` reports (filtered to ``kind`` when given). Two queries.
    """
    modules = [
        m
        for m in Module.objects.active().filter(url_name="mocks:prompt_list")
        if m.completion.get("type") == "events"
        and m.completion.get("event") == "mock_completed"
        and (not role or role in m.roles)
        and (not kind or kind in m.completion.get("tags", []))
    ]
    if not modules:
        return []
    return [
        {
            **row,
            "kind": next(
                (t for t in row["module"].completion.get("tags", []) if t in MockKind.values), ""
            ),
        }
        for row in module_progress(user, modules)
    ]


def feedback_received(*, user, now=None):
    """The feedback about ``user`` that they may read (self-scores and peers'): what the
    history's tabs count and its table shows. Built once, it serves both (the reveal rule's
    query is the costly part to build)."""
    return feedback_visible(user=user, now=now).filter(subject=user)


def score_history(*, user, kind: str, received=None) -> dict:
    """The feedback ``user`` received on ``kind`` (self-scores and peers'), oldest first,
    as a table: one row per feedback with its score per rubric dimension, plus averages.
    ``received``: ``feedback_received(user=user)`` when the caller has it.

    Three queries whatever the number of mocks (the rubric, the feedback, the scores).
    """
    rubric = Rubric.objects.filter(kind=kind).first()
    if rubric is None:
        return {"rubric": None, "columns": [], "rows": [], "averages": [], "trend": []}
    # Plain rows, not model instances: the page shows a hundred rows of seven scores, and
    # building (and prefetching into) a model per row cost more than the page's SQL.
    received = received if received is not None else feedback_received(user=user)
    feedbacks = list(
        received.filter(kind=kind)
        .order_by("-created_at", "-id")
        .values("id", "created_at", "author_id", "solo_mock_id", "solo_mock__prompt__title")[
            :HISTORY_LIMIT
        ]
    )
    feedbacks.reverse()
    scores: dict[int, dict[str, int]] = {fb["id"]: {} for fb in feedbacks}
    for feedback_id, dimension, score in (
        DimensionScore.objects.filter(feedback_id__in=list(scores))
        .order_by()  # into a dict: no sort wanted
        .values_list("feedback_id", "dimension", "score")
    ):
        scores[feedback_id][dimension] = score
    slugs = rubric.dimension_slugs
    rows = []
    for fb in feedbacks:
        by_dim = scores[fb["id"]]
        cells = [by_dim.get(slug) for slug in slugs]
        scored = [c for c in cells if c]
        rows.append(
            {
                "pk": fb["id"],
                "created_at": fb["created_at"],
                "solo_mock_id": fb["solo_mock_id"],
                "title": fb["solo_mock__prompt__title"],
                "is_self_score": fb["author_id"] == user.pk,
                "cells": cells,
                "mean": round(sum(scored) / len(scored), 1) if scored else None,
            }
        )
    averages, trend = [], []
    for i, _slug in enumerate(slugs):
        values = [r["cells"][i] for r in rows if r["cells"][i]]
        averages.append(round(sum(values) / len(values), 1) if values else None)
        trend.append(values[-1] - values[0] if len(values) >= 2 else None)
    columns = [
        {"slug": d["slug"], "title": d["title"], "short": d["title"].split(" (")[0]}
        for d in rubric.dimensions
    ]
    return {
        "rubric": rubric,
        "columns": columns,
        "rows": rows,
        "averages": averages,
        "trend": trend,
    }


def history_kinds(*, user, received=None) -> dict[str, int]:
    """How many feedbacks the user received per kind (for the history tabs); ``received``:
    ``feedback_received(user=user)`` when the caller has it."""
    received = received if received is not None else feedback_received(user=user)
    return dict(received.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))


# --- What other apps ask (the dashboard, readiness) -------------------------------------------
WEAK_SCORE = 2.5  # a mean below this (on the 1-4 scale) over recent mocks is weak
WEAK_WINDOW_DAYS = 30


@dataclass(frozen=True)
class ReceivedScores:
    """The rubric scores ``user`` received and may read, read once (``received_scores``) for
    both ``weak_dimensions`` and ``recent_scores``: one row per (feedback, dimension),
    ``(feedback_id, kind, created_at, author_id, dimension, score)``, newest feedback first."""

    user_id: int
    now: dt.datetime
    rows: list[tuple]


def received_scores(*, user, now: dt.datetime, kinds=()) -> ReceivedScores:
    """What ``weak_dimensions`` (the last 30 days, every kind) and ``recent_scores`` (every
    scored feedback of ``kinds``) read, in one query: the reveal rule is applied once."""
    # The scores received (``scores_received``'s rule), read from the feedback's side: one
    # join, and no IN over a second copy of the feedback (cheaper to build, compile and run).
    rows = (
        feedback_visible(user=user, now=now)
        .filter(
            Q(created_at__gte=now - dt.timedelta(days=WEAK_WINDOW_DAYS)) | Q(kind__in=list(kinds)),
            subject=user,
        )
        .order_by("-created_at", "-id")
        .values_list("id", "kind", "created_at", "author_id", "scores__dimension", "scores__score")
    )
    # (A feedback without scores comes back once, with no dimension: it scores nothing.)
    return ReceivedScores(
        user_id=user.pk, now=now, rows=[row for row in rows if row[4] is not None]
    )


def weak_dimensions(
    *, user, now: dt.datetime, limit: int = 3, received: ReceivedScores | None = None
) -> list[dict]:
    """The rubric dimensions ``user`` scored weakest on in the last 30 days (a mean below
    2.5 of 4), weakest first: ``{"feedback__kind", "dimension", "mean", "n"}``. One query,
    none when given what ``received_scores`` read."""
    received = received or received_scores(user=user, now=now)
    since = received.now - dt.timedelta(days=WEAK_WINDOW_DAYS)
    sums: dict[tuple[str, str], list[int]] = {}
    for _, kind, created_at, _, dimension, score in received.rows:
        if created_at >= since:
            acc = sums.setdefault((kind, dimension), [0, 0])
            acc[0] += score
            acc[1] += 1
    # The mean as the database's AVG gives it on PostgreSQL (exact, then shown to 1 place).
    rows = [
        {"feedback__kind": kind, "dimension": dimension, "mean": Decimal(total) / n, "n": n}
        for (kind, dimension), (total, n) in sums.items()
    ]
    weak = [row for row in rows if row["mean"] < WEAK_SCORE]
    weak.sort(key=lambda row: (row["mean"], row["dimension"], row["feedback__kind"]))
    return weak[:limit]


def recent_scores(
    *,
    user,
    kinds,
    per_kind: int,
    now: dt.datetime | None = None,
    received: ReceivedScores | None = None,
) -> dict[str, list[tuple[float, bool]]]:
    """The mean rubric score (1-4) of each of the last ``per_kind`` scored mocks of each kind
    ``user`` was the subject of and may read, newest first, with whether a peer gave it. One
    query, none when given what ``received_scores`` read (with these ``kinds``)."""
    kinds = set(kinds)
    received = received or received_scores(user=user, now=now or timezone.now(), kinds=kinds)
    feedback: dict[int, list] = {}  # in the rows' order: newest first
    for feedback_id, kind, _, author_id, _, score in received.rows:
        if kind in kinds:
            acc = feedback.setdefault(feedback_id, [kind, author_id, 0, 0])
            acc[2] += score
            acc[3] += 1
    out: dict[str, list[tuple[float, bool]]] = {}
    for kind, author_id, total, n in feedback.values():
        rows = out.setdefault(kind, [])
        if len(rows) < per_kind:
            rows.append((total / n, author_id != received.user_id))
    return out
