"""Drills: every write. Keyword-only, atomic, reporting to the curriculum in the same
transaction.

Rules decided here:
- A timed attempt's start time is kept on the server (a ``Timer`` row); logging the
  attempt takes the minutes from it unless the user typed them.
- Progress: every attempt reports ``drill_attempted`` (key ``drills:attempt:<id>``); the
  first solved attempt (clean or with hints) of each problem reports ``drill_solved`` (key
  ``drills:solved:<id>``), so "three medium sliding-window problems" means three
  different problems. Both are tagged with the problem's patterns and difficulty; deleting
  an attempt retracts its reports and hands ``drill_solved`` to the next solved attempt.
- Re-solves: a problem enters the FSRS schedule at its first attempt that is not solved
  clean; from there every attempt is a review (failed → Again, with hints → Hard,
  clean → Good, clean with confidence 5 → Easy). The schedule is derived from the
  attempts and rebuilt when they change, so edits, deletions and imports stay consistent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import fsrs
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from curriculum import progress
from prep.memory.resolves import Resolves

from .models import (
    SOLVED_OUTCOMES,
    Attempt,
    Difficulty,
    Language,
    Outcome,
    Pattern,
    Problem,
    ReviewState,
    Timer,
)

AREA = "coding"
MAX_MINUTES = 600
IMPORT_MAX_BYTES = 1_000_000
IMPORT_MAX_ROWS = 2_000
CSV_COLUMNS = ["problem", "date", "minutes", "outcome", "confidence", "language", "notes", "code"]


class DrillError(ValueError):
    """A request the drills app refuses (shown to the user as a message)."""


# --------------------------------------------------------------------------- problems


@transaction.atomic
def problem_create(
    *, user, title: str, difficulty: str, patterns: list[Pattern], url: str = ""
) -> Problem:
    """A custom problem, visible to its author only."""
    base = slugify(title)[:100] or "problem"
    slug, n = base, 2
    while Problem.objects.filter(owner=user, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    problem = Problem.objects.create(
        owner=user, slug=slug, title=title.strip(), difficulty=difficulty, url=url
    )
    problem.patterns.set(patterns)
    return problem


# --------------------------------------------------------------------------- timers


def timer_start(*, user, problem: Problem, now: dt.datetime | None = None) -> Timer:
    """Start the clock for ``problem``; a running timer keeps its original start."""
    timer, _ = Timer.objects.get_or_create(
        user=user, problem=problem, defaults={"started_at": now or timezone.now()}
    )
    return timer


def timer_discard(*, user, problem: Problem) -> None:
    Timer.objects.filter(user=user, problem=problem).delete()


def elapsed_minutes(started_at: dt.datetime, now: dt.datetime) -> int:
    """Whole minutes, rounded up, at least 1 and at most MAX_MINUTES."""
    seconds = max(0.0, (now - started_at).total_seconds())
    return min(MAX_MINUTES, max(1, math.ceil(seconds / 60)))


# --------------------------------------------------------------------------- attempts


@transaction.atomic
def attempt_log(
    *,
    user,
    problem: Problem,
    outcome: str,
    minutes: int | None = None,
    confidence: int = 3,
    language: str = Language.PYTHON,
    notes: str = "",
    code: str = "",
    now: dt.datetime | None = None,
) -> Attempt:
    """Log an attempt now; a running timer gives its start (and minutes, if none typed).

    The attempt comes back with ``review``: the problem's review state after it (None when
    the problem is not scheduled), so the caller need not read it again."""
    now = now or timezone.now()
    timer = Timer.objects.select_for_update().filter(user=user, problem=problem).first()
    started_at = timer.started_at if timer else None
    if minutes is None:
        if timer is None:
            raise DrillError("Enter the minutes you spent (no timer is running).")
        minutes = elapsed_minutes(timer.started_at, now)
    attempt = Attempt.objects.create(
        user=user,
        problem=problem,
        started_at=started_at,
        finished_at=now,
        minutes=minutes,
        outcome=outcome,
        confidence=confidence,
        language=language,
        notes=notes,
        code=code,
    )
    if timer is not None:
        timer.delete()
    attempt.review = _after_attempts_changed(user=user, problem=problem, new=[attempt])
    return attempt


@transaction.atomic
def attempt_delete(*, attempt: Attempt) -> None:
    """Delete an attempt: its progress reports are retracted and the schedule rebuilt."""
    user, problem, pk = attempt.user, attempt.problem, attempt.pk
    attempt.delete()
    progress.retract(user, key=f"drills:attempt:{pk}")
    progress.retract(user, key=f"drills:solved:{pk}")
    _after_attempts_changed(user=user, problem=problem, new=[])


def _tags(problem: Problem) -> tuple[str, ...]:
    return (*[p.slug for p in problem.patterns.all()], problem.difficulty)


def _attempt_reports(
    *, attempts: list[Attempt], new: list[Attempt], tags
) -> tuple[list[progress.Report], list[str]]:
    """What a problem's attempts (in time order) report once ``new`` were added: a
    ``drill_attempted`` per new attempt, ``drill_solved`` on the first solve, and the keys to
    retract when a new (e.g. imported older) attempt became the first solve: only attempts
    that were there before can hold a ``drill_solved`` report."""
    reports = [
        progress.Report(
            key=f"drills:attempt:{a.pk}",
            area=AREA,
            kind="drill_attempted",
            tags=tags,
            occurred_at=a.finished_at,
        )
        for a in new
    ]
    solved = [a for a in attempts if a.outcome in SOLVED_OUTCOMES]
    if not solved:
        return reports, []
    first = solved[0]
    reports.append(
        progress.Report(
            key=f"drills:solved:{first.pk}",
            area=AREA,
            kind="drill_solved",
            tags=tags,
            occurred_at=first.finished_at,
        )
    )
    new_pks = {a.pk for a in new}
    if first.pk not in new_pks:
        return reports, []
    return reports, [f"drills:solved:{o.pk}" for o in solved[1:] if o.pk not in new_pks]


# What the reports and the re-solve replay read of an attempt (not its notes or code).
REPLAY_FIELDS = ("pk", "problem_id", "finished_at", "outcome", "confidence")


def _after_attempts_changed(*, user, problem: Problem, new: list[Attempt]) -> ReviewState | None:
    """Report the new attempts, move ``drill_solved`` to the first solve, rebuild the card
    (returned). The problem's attempts are read once, for both; the reports go in one
    ``record_many`` (the same end state as ``record`` then ``retract`` one by one)."""
    attempts = list(
        Attempt.objects.filter(user=user, problem=problem)
        .only(*REPLAY_FIELDS)
        .order_by("finished_at", "id")
    )
    reports, retract = _attempt_reports(attempts=attempts, new=new, tags=_tags(problem))
    progress.record_many(user, reports, retract=retract)
    return review_rebuild(user=user, problem=problem, attempts=attempts)


def outcome_rating(outcome: str, confidence: int = 0) -> fsrs.Rating:
    """The re-solve rating of an outcome (the judge's daily attempts use it too)."""
    if outcome == Outcome.FAILED:
        return fsrs.Rating.Again
    if outcome == Outcome.HINTS:
        return fsrs.Rating.Hard
    if confidence >= 5:
        return fsrs.Rating.Easy
    return fsrs.Rating.Good


def rating_for(attempt: Attempt) -> fsrs.Rating:
    return outcome_rating(attempt.outcome, attempt.confidence)


RESOLVES = Resolves(
    attempts=lambda user: (
        Attempt.objects.filter(user=user)
        .only(*REPLAY_FIELDS)
        .order_by("problem_id", "finished_at", "id")
    ),
    at=lambda attempt: attempt.finished_at,
    rating=rating_for,
    state_model=ReviewState,
)


def review_rebuild(
    *, user, problem: Problem, attempts: list[Attempt] | None = None, scheduler=None
):
    """Replay the attempts through FSRS from the first one not solved clean, with the
    user's re-solve parameters (``prep.memory.resolves``)."""
    if attempts is None:
        attempts = list(
            Attempt.objects.filter(user=user, problem=problem)
            .only(*REPLAY_FIELDS)
            .order_by("finished_at", "id")
        )
    return RESOLVES.rebuild(user=user, problem=problem, attempts=attempts, scheduler=scheduler)


# --------------------------------------------------------------------------- CSV


def _csv_safe(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula; import undoes it."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _csv_unsafe(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def attempts_export(*, user, out) -> int:
    """Write the user's attempts as CSV (the import format plus the title); returns rows."""
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, "title"])
    n = 0
    rows = (
        Attempt.objects.filter(user=user)
        .select_related("problem")
        .order_by("finished_at", "id")
        .iterator(chunk_size=500)
    )
    for a in rows:
        ref = a.problem.slug if not a.problem.owner_id else f"custom:{a.problem.slug}"
        writer.writerow(
            [
                ref,
                a.finished_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                a.minutes,
                a.outcome,
                a.confidence,
                a.language,
                _csv_safe(a.notes),
                _csv_safe(a.code),
                _csv_safe(a.problem.title),
            ]
        )
        n += 1
    return n


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


class ImportRejected(DrillError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


LEETCODE_URL_RE = re.compile(r"^https?://(?:www\.)?leetcode\.com/problems/([a-z0-9-]+)/?")


def _parse_when(text: str, tz) -> dt.datetime:
    text = text.strip()
    if not text:
        raise ValueError("the date is empty")
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            value = dt.datetime.combine(day, dt.time(12, 0))
        else:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"bad date {text!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM])"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    try:
        value = value.astimezone(dt.UTC)
        value + dt.timedelta(days=1), value - dt.timedelta(days=1)  # noqa: B018 (room to compute)
    except OverflowError:
        raise ValueError(f"the date {text!r} is out of range") from None
    if not 1970 <= value.year <= 9998:
        raise ValueError(f"the date {text!r} is out of range (1970 or later)")
    return value


def _choice(value: str, choices, name: str) -> str:
    v = value.strip().lower()
    labels = {label.lower(): key for key, label in choices}
    if v in dict(choices):
        return v
    if v in labels:
        return labels[v]
    keys = ", ".join(k for k, _ in choices)
    raise ValueError(f"unknown {name} {value.strip()!r} (one of {keys})")


class _Capped(io.RawIOBase):
    """Reads a binary stream and refuses it once it goes past ``IMPORT_MAX_BYTES``."""

    def __init__(self, stream):
        self._stream, self._left = stream, IMPORT_MAX_BYTES

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise ImportRejected(
                [
                    f"The file is more than {IMPORT_MAX_BYTES:,} bytes; "
                    f"the limit is {IMPORT_MAX_BYTES:,} bytes."
                ]
            )
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def _text_lines(stream) -> Iterator[str]:
    """The lines of a UTF-8 upload, read a buffer at a time (never the whole file).

    A byte that is not UTF-8 anywhere in the file refuses it; so does a NUL (binary data),
    once the rest has been read to tell which of the two to say."""
    text = io.TextIOWrapper(io.BufferedReader(_Capped(stream)), encoding="utf-8-sig", newline="")
    try:
        for line in text:
            if "\x00" in line:
                for _ in text:
                    pass
                raise ImportRejected(["The file contains binary data; expected a CSV."])
            yield line
    except UnicodeDecodeError:
        raise ImportRejected(["The file is not UTF-8 text (is it a CSV?)."]) from None


def attempts_import(*, user, data: bytes | BinaryIO, tz=dt.UTC, now: dt.datetime | None = None):
    """Import attempts from CSV: all rows or none. Rows already present are skipped.

    ``data`` is the file's bytes or a binary file (an upload): it is read as a stream, a
    buffer at a time, and refused past ``IMPORT_MAX_BYTES``. Raises ImportRejected listing
    every bad row by its line number.
    """
    now = now or timezone.now()
    if isinstance(data, bytes | bytearray):
        size, data = len(data), io.BytesIO(data)
    else:
        size = getattr(data, "size", None)
    if size is not None and size > IMPORT_MAX_BYTES:
        raise ImportRejected(
            [f"The file is {size:,} bytes; the limit is {IMPORT_MAX_BYTES:,} bytes."]
        )
    lines = _text_lines(data)

    def refuse(errors: list[str]) -> ImportRejected:
        for _ in lines:  # the rest of the file first: not UTF-8 or binary is what to say
            pass
        return ImportRejected(errors)

    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(["The file is empty."]) from None
    except csv.Error as exc:
        raise refuse([f"line 1: not valid CSV ({exc})"]) from None
    header = [h.strip().lower() for h in header]
    missing = [c for c in ("problem", "date", "minutes", "outcome") if c not in header]
    if missing:
        raise refuse(
            [f"line 1: missing column(s) {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}"]
        )
    index = {name: header.index(name) for name in CSV_COLUMNS if name in header}

    catalogue: dict[str, int] = {}  # the bank's problems and the user's own, in one query
    custom: dict[str, int] = {}
    for slug, owner_id, pk in Problem.objects.filter(
        Q(owner__isnull=True) | Q(owner=user)
    ).values_list("slug", "owner_id", "pk"):
        (catalogue if owner_id is None else custom)[slug] = pk
    errors: list[str] = []
    rows: list[dict] = []
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(f"line {start}: not valid CSV ({exc})")
            break
        line = start
        if not any(cell.strip() for cell in raw):
            continue
        if len(rows) + len(errors) >= IMPORT_MAX_ROWS:
            errors.append(f"line {line}: more than {IMPORT_MAX_ROWS} rows; split the file")
            break

        def cell(name: str, raw=raw) -> str:
            i = index.get(name)
            return raw[i] if i is not None and i < len(raw) else ""

        try:
            if len(raw) > len(header):
                raise ValueError(f"{len(raw)} cells but the header has {len(header)}")
            ref = cell("problem").strip()
            match = LEETCODE_URL_RE.match(ref)
            if ref.startswith("custom:"):
                problem_id = custom.get(ref.removeprefix("custom:"))
            else:
                problem_id = catalogue.get(match.group(1) if match else ref)
            if problem_id is None:
                raise ValueError(f"unknown problem {ref!r}")
            when = _parse_when(cell("date"), tz)
            if when > now + dt.timedelta(minutes=5):
                raise ValueError(f"the date {cell('date').strip()!r} is in the future")
            try:
                minutes = int(cell("minutes").strip())
            except ValueError:
                raise ValueError(
                    f"minutes must be a whole number, got {cell('minutes')!r}"
                ) from None
            if not 1 <= minutes <= MAX_MINUTES:
                raise ValueError(f"minutes must be between 1 and {MAX_MINUTES}")
            outcome = _choice(cell("outcome"), Outcome.choices, "outcome")
            conf_text = cell("confidence").strip() or "3"
            if not conf_text.isdigit() or not 1 <= int(conf_text) <= 5:
                raise ValueError(f"confidence must be 1 to 5, got {conf_text!r}")
            language = _choice(cell("language") or "python", Language.choices, "language")
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        rows.append(
            {
                "problem_id": problem_id,
                "finished_at": when,
                "minutes": minutes,
                "outcome": outcome,
                "confidence": int(conf_text),
                "language": language,
                "notes": _csv_unsafe(cell("notes")),
                "code": _csv_unsafe(cell("code")),
            }
        )
    if errors:
        raise refuse(errors)
    if not rows:
        raise ImportRejected(["The file has a header but no attempts."])
    return _import_rows(user=user, rows=rows)


@transaction.atomic
def _import_rows(*, user, rows: list[dict]) -> ImportResult:
    """Write the checked rows in bulk, then report them and rebuild the schedules once per
    problem: the same attempts, progress reports, module counts, plan items and review
    states as logging the rows one by one (``attempt_log``), in a fixed number of queries."""
    result = ImportResult()
    before: dict[int, list[Attempt]] = {}
    existing = set()
    for a in (
        Attempt.objects.filter(user=user, problem_id__in={r["problem_id"] for r in rows})
        .only("id", "problem_id", "finished_at", "outcome", "minutes", "confidence")
        .order_by("finished_at", "id")
    ):
        before.setdefault(a.problem_id, []).append(a)
        existing.add((a.problem_id, a.finished_at, a.outcome, a.minutes))
    fresh: list[Attempt] = []
    for r in rows:
        key = (r["problem_id"], r["finished_at"], r["outcome"], r["minutes"])
        if key in existing:
            result.skipped += 1
            continue
        existing.add(key)
        fresh.append(Attempt(user=user, **r))
    created = Attempt.objects.bulk_create(fresh)  # SQLite ≥ 3.35 and PostgreSQL return ids
    result.imported = len(created)
    if not created:
        return result
    new_by_problem: dict[int, list[Attempt]] = {}
    for a in created:
        new_by_problem.setdefault(a.problem_id, []).append(a)
    problems = Problem.objects.prefetch_related("patterns").in_bulk(list(new_by_problem))
    reports: list[progress.Report] = []
    retract: list[str] = []
    attempts_by_problem: dict[int, list[Attempt]] = {}
    for problem_id, new in new_by_problem.items():
        tags = _tags(problems[problem_id])
        old = before.get(problem_id, [])
        attempts = sorted([*old, *new], key=lambda a: (a.finished_at, a.pk))
        attempts_by_problem[problem_id] = attempts
        more, gone = _attempt_reports(attempts=attempts, new=new, tags=tags)
        reports += more
        retract += gone
    progress.record_many(user, reports, retract=retract)
    RESOLVES.rebuild_many(user=user, attempts_by_problem=attempts_by_problem)
    return result


__all__ = [
    "AREA",
    "CSV_COLUMNS",
    "Difficulty",
    "DrillError",
    "IMPORT_MAX_BYTES",
    "ImportRejected",
    "ImportResult",
    "RESOLVES",
    "attempt_delete",
    "attempt_log",
    "attempts_export",
    "attempts_import",
    "elapsed_minutes",
    "outcome_rating",
    "problem_create",
    "rating_for",
    "review_rebuild",
    "timer_discard",
    "timer_start",
]
