"""Every write of the mocks app: solo mocks, their phase timer and notes, rubric feedback.

A completed mock reports ``mock_completed`` to the curriculum (key ``mocks:solo:<id>``,
tags ``(<kind>, "solo")``) in the same transaction; deleting it retracts the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from curriculum import progress

from .models import (
    AREA_BY_KIND,
    SCORE_LABELS,
    DimensionScore,
    MockKind,
    PhaseNote,
    Prompt,
    Rubric,
    RubricFeedback,
    SoloMock,
)

MIN_MINUTES, MAX_MINUTES = 1, 120
NOTE_MAX_CHARS = 20_000
COMMENT_MAX_CHARS = 5_000
FEEDBACK_NOTES_MAX_CHARS = 10_000


class MockError(ValueError):
    """A request the mock cannot honour; the message is shown to the user."""


class FeedbackError(ValidationError):
    """Invalid rubric feedback. ``message_dict`` maps a dimension slug (or ``notes``,
    ``kind``, ``__all__``) to what is wrong with it."""


# --------------------------------------------------------------------------- timer


def _clean_minutes(phases: list[dict], minutes: Mapping[str, object]) -> dict[str, int]:
    clean = {}
    titles = {p["slug"]: p["title"] for p in phases}
    for slug, value in minutes.items():
        if slug not in titles:
            raise MockError(f"{slug!r} is not a phase of this mock.")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise MockError(f"{titles[slug]}: enter a whole number of minutes.") from None
        if not MIN_MINUTES <= number <= MAX_MINUTES:
            raise MockError(
                f"{titles[slug]}: minutes must be between {MIN_MINUTES} and {MAX_MINUTES}."
            )
        clean[slug] = number
    return clean


@transaction.atomic
def solo_mock_start(
    *,
    user,
    prompt: Prompt,
    minutes: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> SoloMock:
    """Start a solo mock on ``prompt``: the timer walks its kind's rubric phases in order,
    each for its default minutes unless ``minutes`` says otherwise (1-120 per phase)."""
    if prompt.retired_at is not None:
        raise MockError("This prompt has been retired; pick another one.")
    rubric = Rubric.objects.get(kind=prompt.kind)
    planned = rubric.default_minutes
    planned.update(_clean_minutes(rubric.phases, minutes or {}))
    now = now or timezone.now()
    return SoloMock.objects.create(
        user=user,
        prompt=prompt,
        kind=prompt.kind,
        phases=[{k: p[k] for k in ("slug", "title", "cue")} for p in rubric.phases],
        minutes=planned,
        phase_index=0,
        phase_started_at=now,
        started_at=now,
    )


def _locked(mock: SoloMock) -> SoloMock:
    return SoloMock.objects.select_for_update().get(pk=mock.pk)


def _close_phase(mock: SoloMock, now: dt.datetime) -> None:
    phase = mock.phases[mock.phase_index]
    mock.phase_log = [
        *mock.phase_log,
        {
            "phase": phase["slug"],
            "started_at": mock.phase_started_at.isoformat(),
            "ended_at": now.isoformat(),
        },
    ]


@transaction.atomic
def solo_mock_set_minutes(*, mock: SoloMock, minutes: Mapping[str, object]) -> SoloMock:
    """Change the planned minutes of phases while the timer runs (elapsed time is kept)."""
    locked = _locked(mock)
    if not locked.is_running:
        raise MockError("The timer has stopped; durations can no longer be changed.")
    locked.minutes = {**locked.minutes, **_clean_minutes(locked.phases, minutes)}
    locked.save(update_fields=["minutes"])
    return locked


@transaction.atomic
def solo_mock_advance(
    *, mock: SoloMock, from_index: int, now: dt.datetime | None = None
) -> SoloMock:
    """Leave phase ``from_index`` for the next one; leaving the last phase stops the timer.

    ``from_index`` is the phase the user saw: a repeated or stale click changes nothing.
    """
    now = now or timezone.now()
    locked = _locked(mock)
    if not locked.is_running or locked.phase_index != from_index:
        return locked
    _close_phase(locked, now)
    if locked.is_last_phase:
        locked.status = SoloMock.Status.SCORING
        locked.ended_at = now
    else:
        locked.phase_index += 1
        locked.phase_started_at = now
    locked.save(
        update_fields=["phase_log", "phase_index", "phase_started_at", "status", "ended_at"]
    )
    return locked


@transaction.atomic
def solo_mock_finish(*, mock: SoloMock, now: dt.datetime | None = None) -> SoloMock:
    """Stop the timer now (from any phase) and go on to self-scoring."""
    now = now or timezone.now()
    locked = _locked(mock)
    if not locked.is_running:
        return locked
    _close_phase(locked, now)
    locked.status = SoloMock.Status.SCORING
    locked.ended_at = now
    locked.save(update_fields=["phase_log", "status", "ended_at"])
    return locked


def phase_note_save(*, mock: SoloMock, phase: str, text: str) -> PhaseNote:
    """Save the notes of one phase (the autosave; the latest text wins)."""
    if phase not in {p["slug"] for p in mock.phases}:
        raise MockError(f"{phase!r} is not a phase of this mock.")
    if len(text) > NOTE_MAX_CHARS:
        raise MockError(f"Notes are limited to {NOTE_MAX_CHARS:,} characters per phase.")
    note, _ = PhaseNote.objects.update_or_create(mock=mock, phase=phase, defaults={"text": text})
    return note


# --------------------------------------------------------------------------- feedback


def feedback_validate(
    *, kind: str, scores: Mapping[str, object], comments: Mapping[str, str], notes: str
) -> tuple[Rubric, dict[str, int]]:
    """Check feedback against the kind's rubric: every dimension scored 1-4, nothing else."""
    if kind not in MockKind.values:
        raise FeedbackError({"kind": [f"{kind!r} is not a mock kind."]})
    rubric = Rubric.objects.get(kind=kind)
    titles = {d["slug"]: d["title"] for d in rubric.dimensions}
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for slug in set(scores) - set(titles):
        errors.setdefault("__all__", []).append(
            f"{slug!r} is not a dimension of the {rubric.title} rubric."
        )
    for slug in set(comments) - set(titles):
        errors.setdefault("__all__", []).append(
            f"A comment for {slug!r}, which is not a dimension of the {rubric.title} rubric."
        )
    for slug, title in titles.items():
        value = scores.get(slug)
        if value is None or value == "":
            errors[slug] = [f"{title}: give a score from 1 to 4."]
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if isinstance(value, bool) or number not in SCORE_LABELS or str(number) != str(value):
            errors[slug] = [f"{title}: scores go from 1 (strong no hire) to 4 (strong hire)."]
            continue
        clean[slug] = number
        if len(comments.get(slug, "") or "") > COMMENT_MAX_CHARS:
            errors[slug] = [f"{title}: comments are limited to {COMMENT_MAX_CHARS:,} characters."]
    if len(notes or "") > FEEDBACK_NOTES_MAX_CHARS:
        errors["notes"] = [f"Notes are limited to {FEEDBACK_NOTES_MAX_CHARS:,} characters."]
    if errors:
        raise FeedbackError(errors)
    return rubric, clean


@transaction.atomic
def feedback_submit(
    *,
    author,
    subject,
    kind: str,
    scores: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    notes: str = "",
    solo_mock: SoloMock | None = None,
    context_key: str = "",
    reveal_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> RubricFeedback:
    """Record rubric feedback from ``author`` about ``subject`` on ``kind``'s rubric.

    Every dimension of the rubric needs a score from 1 to 4 and no other dimension is
    accepted (``FeedbackError`` names each problem; nothing is saved). Feedback is about a
    solo mock (``solo_mock``) or something else named by ``context_key`` (``"booking:12"``);
    one author gives one feedback per solo mock or context key: submitting again replaces
    the scores, comments and notes. ``reveal_at``: when the subject may read it without
    giving their own (None: at once; ``models.feedback_visible_q`` is the rule). This does
    not report progress: the caller decides what
    completing its mock means (a solo mock does it in ``solo_mock_complete``).
    """
    comments = comments or {}
    if solo_mock is None and not context_key:
        raise FeedbackError({"__all__": ["Feedback must be about a solo mock or a context key."]})
    if solo_mock is not None and solo_mock.kind != kind:
        raise FeedbackError({"kind": ["The feedback's kind must match the mock's kind."]})
    rubric, clean = feedback_validate(kind=kind, scores=scores, comments=comments, notes=notes)
    now = now or timezone.now()
    lookup = {"author": author}
    if solo_mock is not None:
        lookup["solo_mock"] = solo_mock
    else:
        lookup["context_key"] = context_key
    feedback = RubricFeedback.objects.select_for_update().filter(**lookup).first()
    if feedback is None:
        feedback = RubricFeedback.objects.create(
            author=author,
            solo_mock=solo_mock,
            context_key=context_key,
            subject=subject,
            kind=kind,
            notes=notes or "",
            reveal_at=reveal_at,
            created_at=now,
        )
    else:
        feedback.subject, feedback.kind, feedback.notes = subject, kind, notes or ""
        feedback.reveal_at = reveal_at
        feedback.context_key = context_key
        feedback.save()
        feedback.scores.all().delete()
    DimensionScore.objects.bulk_create(
        DimensionScore(
            feedback=feedback,
            dimension=slug,
            score=clean[slug],
            comment=(comments.get(slug) or "").strip(),
            position=position,
        )
        for position, slug in enumerate(rubric.dimension_slugs)
    )
    return feedback


# --------------------------------------------------------------------------- completion


@transaction.atomic
def solo_mock_complete(
    *,
    mock: SoloMock,
    scores: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    notes: str = "",
    checklist_covered: list[int] | None = None,
    now: dt.datetime | None = None,
) -> RubricFeedback:
    """Self-score a stopped solo mock; the first time, the mock is completed and reported
    as ``mock_completed`` tagged with its kind and ``solo``. Scoring again edits the scores."""
    now = now or timezone.now()
    locked = _locked(mock)
    if locked.is_running:
        raise MockError("Stop the timer before scoring the mock.")
    size = len(locked.prompt.checklist)
    covered = sorted(
        {int(i) for i in (checklist_covered or []) if str(i).isdigit() and int(i) < size}
    )
    feedback = feedback_submit(
        author=locked.user,
        subject=locked.user,
        kind=locked.kind,
        scores=scores,
        comments=comments,
        notes=notes,
        solo_mock=locked,
        now=now,
    )
    locked.checklist_covered = covered
    if not locked.is_completed:
        locked.status = SoloMock.Status.COMPLETED
        locked.completed_at = now
    locked.save(update_fields=["checklist_covered", "status", "completed_at"])
    progress.record(
        locked.user,
        key=locked.progress_key,
        area=AREA_BY_KIND[locked.kind],
        kind="mock_completed",
        tags=(locked.kind, "solo"),
        occurred_at=locked.completed_at,
    )
    mock.refresh_from_db()
    return feedback


@transaction.atomic
def solo_mock_delete(*, mock: SoloMock) -> None:
    """Delete a solo mock with its notes and self-score; its progress report is retracted."""
    progress.retract(mock.user, key=mock.progress_key)
    mock.delete()
