"""Writes to transcripts: creation, exactly-once segment ingest, pins, phase marks, ending.

Delivery from the overlay is at-least-once, so every write here is idempotent: the same
batch, pin or phase mark sent twice leaves what one copy leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from .models import SWAP, PhaseMark, Pin, Segment, Transcript

#: How many stored seqs the contiguity walk reads per query.
_WALK_CHUNK = 2000
MAX_PINS = 200
MAX_PHASE_MARKS = 200


class TranscriptClosed(Exception):
    """The transcript no longer records: only exact resends are accepted."""

    def __init__(self, seqs: Iterable[int] = ()):
        self.seqs = sorted(set(seqs))
        super().__init__(self.seqs)


class SegmentConflict(Exception):
    """A final differs from the stored final with the same seq."""

    def __init__(self, seqs: Iterable[int]):
        self.seqs = sorted(set(seqs))
        super().__init__(self.seqs)


class TooMany(Exception):
    """A per-transcript cap (pins, phase marks) is reached."""


@dataclass(frozen=True)
class SegmentIn:
    seq: int
    speaker: str
    text: str
    start_ms: int
    end_ms: int
    final: bool

    def as_tuple(self) -> tuple:
        return (self.speaker, self.text, self.start_ms, self.end_ms, self.final)


@dataclass
class IngestResult:
    new: int = 0
    duplicate: int = 0
    replaced: int = 0
    stale: int = 0
    last_contiguous_seq: int = -1
    new_seqs: list[int] = field(default_factory=list)


def transcript_create(
    *,
    user,
    title: str,
    kind: str,
    question: str = "",
    speakers: dict | None = None,
    roles: dict | None = None,
    source: str = Transcript.Source.CAPTURED,
    booking_id: int | None = None,
    solo_mock=None,
) -> Transcript:
    """A new, empty transcript that records. The question, if any, is pinned as such."""
    with transaction.atomic():
        transcript = Transcript.objects.create(
            user=user,
            title=title,
            kind=kind,
            question=question,
            speakers=speakers or {},
            roles=roles or {},
            source=source,
            booking_id=booking_id,
            solo_mock=solo_mock,
        )
    return transcript


def segment_batch_ingest(*, transcript: Transcript, segments: Iterable[SegmentIn]) -> IngestResult:
    """Apply a batch of segments exactly once, whatever was delivered before.

    Per seq: unknown → new; an interim is replaced by a later, different interim or by the
    final; an interim after its final is stale and ignored; an identical resend is a
    duplicate; a final that differs from the stored final is a conflict, and then the whole
    batch is refused (SegmentConflict naming the seqs) with nothing stored. Once the transcript
    no longer records, duplicates and stale interims are still answered, anything that would
    change it raises TranscriptClosed.

    Batches of one transcript are serialised by a lock on its row, and rows are written in
    seq order, so concurrent copies of a batch can neither double-insert nor deadlock.
    """
    items = list(segments)
    result = IngestResult()
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().get(pk=transcript.pk)
        seqs = sorted({s.seq for s in items})
        # {seq: (id, (speaker, text, start_ms, end_ms, final))} of what is stored now
        stored: dict[int, tuple[int, tuple]] = {}
        if seqs:
            rows = Segment.objects.filter(transcript=locked)
            if seqs[-1] - seqs[0] < 2 * len(seqs):  # a dense batch: a range scan is cheaper
                rows = rows.filter(seq__gte=seqs[0], seq__lte=seqs[-1])
            else:
                rows = rows.filter(seq__in=seqs)
            wanted = set(seqs)
            fields = ("id", "seq", "speaker", "text", "start_ms", "end_ms", "final")
            stored = {
                row[1]: (row[0], row[2:]) for row in rows.values_list(*fields) if row[1] in wanted
            }
        state: dict[int, tuple] = {seq: value for seq, (_, value) in stored.items()}
        stored_final = {seq: value[-1] for seq, (_, value) in stored.items()}
        latest: dict[int, SegmentIn] = {}
        conflicts: list[int] = []
        for item in items:
            current = state.get(item.seq)
            value = item.as_tuple()
            if current is None:
                result.new += 1
            elif value == current:
                result.duplicate += 1
                continue
            elif current[-1]:  # the stored (or earlier in this batch) version is final
                if item.final:
                    conflicts.append(item.seq)
                else:
                    result.stale += 1
                continue
            else:
                result.replaced += 1
            state[item.seq] = value
            latest[item.seq] = item
        if conflicts:
            raise SegmentConflict(conflicts)
        if latest and not locked.is_recording:
            raise TranscriptClosed(latest)

        to_create = [latest[s] for s in sorted(latest) if s not in stored]
        to_update = [s for s in sorted(latest) if s in stored]
        final_delta = 0
        if to_create:
            _insert_segments(locked, to_create)
            final_delta += sum(1 for item in to_create if item.final)
        if to_update:
            rows = []
            for seq in to_update:
                item = latest[seq]
                final_delta += int(item.final) - int(stored_final[seq])
                rows.append(
                    Segment(
                        id=stored[seq][0],
                        speaker=item.speaker,
                        text=item.text,
                        start_ms=item.start_ms,
                        end_ms=item.end_ms,
                        final=item.final,
                    )
                )
            Segment.objects.bulk_update(rows, ["speaker", "text", "start_ms", "end_ms", "final"])
        if to_create or final_delta:
            new_seqs = [item.seq for item in to_create]
            now_final = {s for s in latest if latest[s].final and not stored_final.get(s, False)}
            locked.segment_count += len(new_seqs)
            locked.final_count += final_delta
            if new_seqs:
                locked.max_seq = max(locked.max_seq, new_seqs[-1])
            locked.contiguous_seq = _contiguous_after(locked, now_final)
            Transcript.objects.filter(pk=locked.pk).update(
                segment_count=locked.segment_count,
                final_count=locked.final_count,
                max_seq=locked.max_seq,
                contiguous_seq=locked.contiguous_seq,
            )
            result.new_seqs = new_seqs
        result.last_contiguous_seq = locked.contiguous_seq
    return result


def _insert_segments(transcript: Transcript, items: list[SegmentIn]) -> None:
    """Insert new segments in seq order (one statement; unnest on PostgreSQL is cheapest)."""
    if connection.vendor == "postgresql":
        table = Segment._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 - the table name is ours
                "(transcript_id, user_id, seq, speaker, text, start_ms, end_ms, final) "
                "SELECT %s, %s, * FROM unnest("
                "%s::bigint[], %s::varchar[], %s::text[], %s::bigint[], %s::bigint[], "
                "%s::boolean[]) ORDER BY 1",
                [
                    transcript.pk,
                    transcript.user_id,
                    [i.seq for i in items],
                    [i.speaker for i in items],
                    [i.text for i in items],
                    [i.start_ms for i in items],
                    [i.end_ms for i in items],
                    [i.final for i in items],
                ],
            )
        return
    Segment.objects.bulk_create(
        [
            Segment(
                transcript=transcript,
                user_id=transcript.user_id,
                seq=item.seq,
                speaker=item.speaker,
                text=item.text,
                start_ms=item.start_ms,
                end_ms=item.end_ms,
                final=item.final,
            )
            for item in items
        ]
    )


def _contiguous_after(transcript: Transcript, now_final: set[int]) -> int:
    """The highest seq n such that every seq 0..n is stored as a final (-1 if none is).

    A client resumes after it: everything up to it is settled and need not be sent again.
    """
    if transcript.final_count == transcript.max_seq + 1:
        return transcript.max_seq  # every stored seq is final and there is no gap
    reach = transcript.contiguous_seq
    if reach + 1 not in now_final:
        return reach  # the first gap (or interim) is still open
    while True:
        chunk = list(
            Segment.objects.filter(transcript=transcript, seq__gt=reach, final=True)
            .order_by("seq")
            .values_list("seq", flat=True)[:_WALK_CHUNK]
        )
        for seq in chunk:
            if seq != reach + 1:
                return reach
            reach = seq
        if len(chunk) < _WALK_CHUNK:
            return reach


def _require_recording(transcript: Transcript) -> None:
    if not transcript.is_recording:
        raise TranscriptClosed()


def pin_add(*, transcript: Transcript, kind: str, text: str, at_ms: int) -> tuple[Pin, bool]:
    """Pin framing to the transcript; an identical pin (kind, text, at_ms) is not added twice.

    Returns (pin, created). The live context's ``pinned`` summary is updated with it.
    """
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().get(pk=transcript.pk)
        existing = Pin.objects.filter(transcript=locked, kind=kind, at_ms=at_ms, text=text).first()
        if existing is not None:
            return existing, False
        _require_recording(locked)
        if Pin.objects.filter(transcript=locked).count() >= MAX_PINS:
            raise TooMany(f"A transcript holds at most {MAX_PINS} pins.")
        pin = Pin.objects.create(transcript=locked, kind=kind, text=text, at_ms=at_ms)
        pinned = dict(locked.pinned)
        entries = list(pinned.get(kind, []))
        entries.append({"id": pin.pk, "text": text, "at_ms": at_ms})
        entries.sort(key=lambda e: (e["at_ms"], e["id"]))
        pinned[kind] = entries
        Transcript.objects.filter(pk=locked.pk).update(pinned=pinned)
        transcript.pinned = pinned
    return pin, True


def phase_mark(
    *, transcript: Transcript, phase: str, at_ms: int, now: dt.datetime | None = None
) -> tuple[PhaseMark, bool]:
    """Mark that ``phase`` starts at ``at_ms``; a repeated mark is not added twice.

    The current phase is the latest mark by time that is not ``swap``; each ``swap`` mark
    exchanges interviewer and candidate from then on. Returns (mark, created).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().get(pk=transcript.pk)
        existing = PhaseMark.objects.filter(transcript=locked, phase=phase, at_ms=at_ms).first()
        if existing is not None:
            return existing, False
        _require_recording(locked)
        if len(locked.phases) >= MAX_PHASE_MARKS:
            raise TooMany(f"A transcript holds at most {MAX_PHASE_MARKS} phase marks.")
        mark = PhaseMark.objects.create(transcript=locked, phase=phase, at_ms=at_ms)
        phases = sorted([*locked.phases, {"phase": phase, "ms": at_ms}], key=lambda p: p["ms"])
        updates: dict = {"phases": phases}
        if phase == SWAP:
            updates["roles_swapped"] = sum(1 for p in phases if p["phase"] == SWAP) % 2 == 1
        else:
            current = [p for p in phases if p["phase"] != SWAP][-1]
            if current["ms"] != locked.phase_started_ms or current["phase"] != locked.current_phase:
                updates["current_phase"] = current["phase"]
                updates["phase_started_ms"] = current["ms"]
                updates["phase_started_at"] = now
        Transcript.objects.filter(pk=locked.pk).update(**updates)
        for name, value in updates.items():
            setattr(transcript, name, value)
    return mark, True


def transcript_end(*, transcript: Transcript, now: dt.datetime | None = None) -> bool:
    """Stop recording; returns True the first time (the caller then enqueues processing)."""
    now = now or timezone.now()
    updated = Transcript.objects.filter(
        pk=transcript.pk, status=Transcript.Status.RECORDING
    ).update(status=Transcript.Status.PROCESSING, ended_at=now)
    if updated:
        transcript.status, transcript.ended_at = Transcript.Status.PROCESSING, now
    return bool(updated)


def transcript_mark_ready(*, transcript_id: int, now: dt.datetime | None = None) -> bool:
    """Post-processing done: the transcript is ready to review. Idempotent.

    The transcripts review issue adds the analysis (talk time, pace, filler words…) here.
    """
    updated = Transcript.objects.filter(
        pk=transcript_id, status=Transcript.Status.PROCESSING
    ).update(status=Transcript.Status.READY, ready_at=now or timezone.now())
    return bool(updated)
