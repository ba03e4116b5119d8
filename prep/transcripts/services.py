"""Writes to transcripts: creation, exactly-once segment ingest, pins, phase marks, ending.

Delivery from the overlay is at-least-once, so every write here is idempotent: the same
batch, pin or phase mark sent twice leaves what one copy leaves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import analysis, events
from .models import (
    SWAP,
    Highlight,
    PhaseMark,
    Pin,
    Segment,
    Transcript,
    TranscriptEvent,
    TranscriptShare,
)

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
    refused: int = 0  # under the speaker label of a deleted account: never stored
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
    batch is refused (SegmentConflict naming the seqs) with nothing stored. A segment under a
    speaker label of a deleted account (``refused_labels``) is refused and never stored.
    Once the transcript
    no longer records, duplicates and stale interims are still answered, anything that would
    change it raises TranscriptClosed.

    Batches of one transcript are serialised by a lock on its row, and rows are written in
    seq order, so concurrent copies of a batch can neither double-insert nor deadlock.
    """
    items = list(segments)
    result = IngestResult()
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().get(pk=transcript.pk)
        if locked.refused_labels:
            refused = set(locked.refused_labels)
            kept_items = [s for s in items if label_digest(s.speaker) not in refused]
            result.refused = len(items) - len(kept_items)
            items = kept_items
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
            if current is None and not item.final and not locked.is_recording:
                result.stale += 1  # its session ended: interims left then were dropped
                continue
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
        if latest:
            events.record(
                transcript=locked,
                kind="segments",
                data={
                    "segments": [
                        {
                            "seq": seq,
                            "speaker": latest[seq].speaker,
                            "text": latest[seq].text,
                            "start_ms": latest[seq].start_ms,
                            "end_ms": latest[seq].end_ms,
                            "final": latest[seq].final,
                        }
                        for seq in sorted(latest)
                    ],
                    "last_contiguous_seq": locked.contiguous_seq,
                },
            )
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
        events.record(
            transcript=locked,
            kind="pin",
            data={"id": pin.pk, "kind": kind, "text": text, "at_ms": at_ms},
        )
    return pin, True


def pin_delete(*, transcript: Transcript, pin_id: int) -> bool:
    """Remove a pin (a correction, an undo) while the transcript records; False if it was
    already gone. The live context's ``pinned`` summary loses it in the same transaction."""
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().get(pk=transcript.pk)
        pin = Pin.objects.filter(transcript=locked, pk=pin_id).first()
        if pin is None:
            return False
        _require_recording(locked)
        pin.delete()
        pinned = {
            kind: [e for e in entries if e["id"] != pin_id]
            for kind, entries in locked.pinned.items()
        }
        pinned = {kind: entries for kind, entries in pinned.items() if entries}
        Transcript.objects.filter(pk=locked.pk).update(pinned=pinned)
        transcript.pinned = pinned
        events.record(transcript=locked, kind="pin_deleted", data={"id": pin_id, "kind": pin.kind})
    return True


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
            setattr(locked, name, value)
            setattr(transcript, name, value)
        events.record(transcript=locked, kind="phase", data=phase_state(locked))
    return mark, True


def phase_state(transcript: Transcript) -> dict:
    """The phase part of the live context, as the stream's ``phase`` event carries it."""
    started = transcript.phase_started_at
    return {
        "phase": transcript.current_phase or None,
        "phase_started_ms": transcript.phase_started_ms,
        "phase_started_at": int(started.timestamp() * 1000) if started else None,
        "phases": [{"phase": p["phase"], "ms": p["ms"]} for p in transcript.phases],
        "roles": transcript.current_roles(),
    }


def transcript_end(*, transcript: Transcript, now: dt.datetime | None = None) -> bool:
    """Stop recording; returns True the first time (the caller then enqueues processing).

    Interim segments still waiting for their final are dropped: they were never said as
    written, so the document never shows them (a late resend of one is answered ``stale``).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().get(pk=transcript.pk)
        if not locked.is_recording:
            return False
        dropped, _ = Segment.objects.filter(transcript=locked, final=False).delete()
        updates = {"status": Transcript.Status.PROCESSING, "ended_at": now}
        if dropped:
            updates["segment_count"] = locked.segment_count - dropped
            updates["max_seq"] = Segment.objects.filter(transcript=locked).aggregate(m=Max("seq"))[
                "m"
            ]
            if updates["max_seq"] is None:
                updates["max_seq"] = -1
        Transcript.objects.filter(pk=locked.pk).update(**updates)
        for name, value in updates.items():
            setattr(transcript, name, value)
        events.record(
            transcript=locked,
            kind="status",
            data={"status": "ended", "dropped_interims": dropped},
        )
    return True


# --- Review: post-processing --------------------------------------------------------------
class ReviewError(Exception):
    """A refused review action, with a message for the person who asked."""


def _rubric_context(transcript: Transcript) -> tuple[dict[str, int], dict[str, str]]:
    """(planned minutes per phase, dimension titles) from the solo mock or the kind's rubric."""
    from prep.mocks.models import Rubric

    rubric = Rubric.objects.filter(kind=transcript.kind).only("phases", "dimensions").first()
    planned = dict(rubric.default_minutes) if rubric else {}
    if transcript.solo_mock_id:
        from prep.mocks.models import SoloMock

        minutes = (
            SoloMock.objects.filter(pk=transcript.solo_mock_id)
            .values_list("minutes", flat=True)
            .first()
        )
        planned.update(minutes or {})
    titles = {d["slug"]: d["title"] for d in rubric.dimensions} if rubric else {}
    return planned, titles


def transcript_analyse(*, transcript_id: int, now: dt.datetime | None = None) -> bool:
    """Analyse an ended transcript and make it ready; returns False if there is nothing to do.

    The analysis is recomputed whole from the stored segments (``analysis.analyse``) and
    written, with the READY status, in one UPDATE at the end: running it twice stores the
    same result, and a worker killed before that UPDATE leaves the transcript PROCESSING,
    to be processed again (the task is acked late and redelivered; owners can re-run it;
    ``transcripts_reprocess_stuck`` sweeps). A transcript still recording is left alone.
    """
    now = now or timezone.now()
    transcript = (
        Transcript.objects.filter(pk=transcript_id)
        .exclude(status=Transcript.Status.RECORDING)
        .only("id", "kind", "speakers", "roles", "phases", "solo_mock_id", "status")
        .first()
    )
    if transcript is None:
        return False
    rows = list(
        Segment.objects.filter(transcript_id=transcript_id, final=True)
        .order_by("seq")
        .values_list("seq", "speaker", "text", "start_ms", "end_ms")
    )
    planned, titles = _rubric_context(transcript)
    result = analysis.analyse(
        rows,
        kind=transcript.kind,
        speakers=transcript.speakers,
        roles=transcript.roles,
        phases=transcript.phases,
        planned=planned,
        titles=titles,
    )
    updated = (
        Transcript.objects.filter(pk=transcript_id)
        .exclude(status=Transcript.Status.RECORDING)
        .update(
            analysis=result,
            analysed_at=now,
            status=Transcript.Status.READY,
            ready_at=Coalesce(F("ready_at"), now),
        )
    )
    return bool(updated)


def _enqueue_analysis(transcript: Transcript) -> None:
    from .tasks import transcript_postprocess

    transcript_postprocess.delay_on_commit(transcript.pk)


def transcript_reanalyse(*, transcript: Transcript) -> None:
    """Queue post-processing again (it is idempotent); only once the transcript has ended."""
    if transcript.is_recording:
        raise ReviewError("The transcript is still recording.")
    _enqueue_analysis(transcript)


def transcripts_reprocess_stuck(*, older_than: dt.timedelta | None = None) -> int:
    """Queue post-processing for transcripts left PROCESSING (e.g. a worker died) for
    longer than ``older_than`` (default: ``TRANSCRIPT_STUCK_AFTER_SECONDS``)."""
    from django.conf import settings

    if older_than is None:
        older_than = dt.timedelta(seconds=settings.TRANSCRIPT_STUCK_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    ids = list(
        Transcript.objects.filter(
            status=Transcript.Status.PROCESSING, ended_at__lt=cutoff
        ).values_list("id", flat=True)[:500]
    )
    from .tasks import transcript_postprocess

    for pk in ids:
        transcript_postprocess.delay(pk)
    return len(ids)


# --- Review: upload -----------------------------------------------------------------------
def _upload_speakers(labels: list[str], *, my_label: str, my_role: str) -> tuple[dict, dict]:
    """Speaker map and roles for an upload: the named label (or the one whose name is the
    user's role, e.g. "Candidate") is "me", every other label "other"."""
    if not my_label:
        matches = [label for label in labels if my_role in label.lower()]
        my_label = matches[0] if len(matches) == 1 else ""
    if not my_label or my_label not in labels:
        return {}, {}
    other_role = "interviewer" if my_role == "candidate" else "candidate"
    speakers = {label: ("me" if label == my_label else "other") for label in labels}
    return speakers, {"me": my_role, "other": other_role}


def transcript_upload(
    *,
    user,
    name: str,
    data: bytes,
    title: str,
    kind: str,
    my_role: str = "candidate",
    my_label: str = "",
) -> Transcript:
    """Store a transcript recorded elsewhere (WebVTT, SRT or the API's JSON).

    The file is parsed first (``upload.parse_upload``: size limit, line-numbered errors); on
    any error nothing is stored. Then it is treated like a captured transcript that has
    ended: segments ingested, post-processing queued.
    """
    from .upload import parse_upload

    cues = parse_upload(name, data)
    labels = list(dict.fromkeys(c.speaker for c in cues))
    if my_label and my_label not in labels:
        from .upload import UploadError

        raise UploadError([f"No speaker is called {my_label!r} in the file ({', '.join(labels)})."])
    speakers, roles = _upload_speakers(labels, my_label=my_label, my_role=my_role)
    with transaction.atomic():
        transcript = transcript_create(
            user=user,
            title=title,
            kind=kind,
            speakers=speakers,
            roles=roles,
            source=Transcript.Source.UPLOADED,
        )
        segment_batch_ingest(
            transcript=transcript,
            segments=[
                SegmentIn(c.seq, c.speaker, c.text, c.start_ms, c.end_ms, True) for c in cues
            ],
        )
        transcript_end(transcript=transcript)
        _enqueue_analysis(transcript)
    return transcript


def transcript_speakers_set(*, transcript: Transcript, me: str, my_role: str) -> Transcript:
    """Say which speaker label is the owner on a solo or uploaded transcript (and their role);
    the analysis is recomputed with it."""
    if transcript.booking_id:
        raise ReviewError("A booking's speakers were set when it was captured.")
    labels = list(
        Segment.objects.filter(transcript=transcript).values_list("speaker", flat=True).distinct()
    )
    if me not in labels:
        raise ReviewError("Pick one of the transcript's speakers.")
    if my_role not in ("candidate", "interviewer"):
        raise ReviewError("Pick candidate or interviewer.")
    speakers, roles = _upload_speakers(sorted(labels), my_label=me, my_role=my_role)
    with transaction.atomic():
        Transcript.objects.filter(pk=transcript.pk).update(speakers=speakers, roles=roles)
        transcript.speakers, transcript.roles = speakers, roles
        if not transcript.is_recording:
            _enqueue_analysis(transcript)
    return transcript


def transcript_delete(*, transcript: Transcript) -> None:
    """Delete a transcript with everything on it (the owner only: views scope it)."""
    transcript.delete()


# --- Review: who is who -------------------------------------------------------------------
def _booking_people(booking_id: int | None) -> tuple[int | None, int | None]:
    """(host id, guest id) of a booking, read from prep.booking (None, None if gone)."""
    if not booking_id:
        return None, None
    from prep.booking.models import Booking

    row = Booking.objects.filter(pk=booking_id).values_list("host_id", "guest_id").first()
    return row or (None, None)


def participant_of(*, transcript: Transcript, user, share: TranscriptShare | None = None) -> str:
    """Which participant ``user`` is in ``transcript``: host/guest of its booking, "me" on a
    solo or uploaded one (the owner), '' if none."""
    if share is not None and share.user_id == user.pk:
        return share.participant
    if transcript.booking_id:
        host_id, guest_id = _booking_people(transcript.booking_id)
        if user.pk == host_id:
            return "host"
        if user.pk == guest_id:
            return "guest"
        return ""
    return "me" if transcript.user_id == user.pk else ""


def labels_of(transcript: Transcript, participant: str) -> list[str]:
    return [label for label, who in (transcript.speakers or {}).items() if who == participant]


# --- Review: sharing ----------------------------------------------------------------------
def transcript_share(*, transcript: Transcript, by) -> TranscriptShare:
    """Share read-only with the other person of the transcript's booking, and nobody else."""
    if transcript.user_id != by.pk:
        raise ReviewError("Only the owner can share a transcript.")
    host_id, guest_id = _booking_people(transcript.booking_id)
    if host_id is None or guest_id is None or by.pk not in (host_id, guest_id):
        raise ReviewError("Only a transcript of a booking can be shared, with its other person.")
    other_id, participant = (guest_id, "guest") if by.pk == host_id else (host_id, "host")
    share, _ = TranscriptShare.objects.get_or_create(
        transcript=transcript, user_id=other_id, defaults={"participant": participant}
    )
    return share


def transcript_unshare(*, transcript: Transcript, by) -> bool:
    """Revoke every share of the transcript (the owner only)."""
    if transcript.user_id != by.pk:
        raise ReviewError("Only the owner can revoke a share.")
    deleted, _ = TranscriptShare.objects.filter(transcript=transcript).delete()
    return bool(deleted)


# --- Review: deleting one's speech --------------------------------------------------------
def _erase_from_events(transcript_id: int, labels: set[str]) -> None:
    changed = []
    events_qs = TranscriptEvent.objects.filter(transcript_id=transcript_id, kind="segments")
    for event in events_qs.only("id", "data").iterator(chunk_size=500):
        lines = event.data.get("segments", [])
        kept = [line for line in lines if line.get("speaker") not in labels]
        if len(kept) != len(lines):
            event.data = {**event.data, "segments": kept}
            changed.append(event)
    if changed:
        TranscriptEvent.objects.bulk_update(changed, ["data"], batch_size=500)


def _erase(transcript_id: int, participant: str, labels: list[str]) -> int:
    """Delete the segments spoken as ``labels`` and the highlights on them."""
    seqs = list(
        Segment.objects.filter(transcript_id=transcript_id, speaker__in=labels).values_list(
            "seq", flat=True
        )
    )
    if seqs:
        Highlight.objects.filter(transcript_id=transcript_id, seq__in=seqs).delete()
    deleted, _ = Segment.objects.filter(transcript_id=transcript_id, speaker__in=labels).delete()
    # The live event log holds what was said too: take those lines out of it, keeping every
    # event (and so its seq: a listener resuming after it must not be sent a reused seq).
    _erase_from_events(transcript_id, set(labels))
    locked = Transcript.objects.select_for_update().get(pk=transcript_id)
    erased = sorted({*locked.erased, participant})
    remaining = Segment.objects.filter(transcript_id=transcript_id)
    Transcript.objects.filter(pk=transcript_id).update(
        erased=erased,
        segment_count=remaining.count(),
        final_count=remaining.filter(final=True).count(),
    )
    return deleted


def speech_delete(*, transcript: Transcript, user, share: TranscriptShare | None = None) -> int:
    """Delete ``user``'s own speech from a transcript they own or that is shared with them.

    Their speech is every segment whose speaker label maps to their participant (host or
    guest of the booking, "me" on a solo or uploaded transcript). The rest stays; the
    analysis is recomputed without it. Returns how many segments were deleted.
    """
    participant = participant_of(transcript=transcript, user=user, share=share)
    if not participant:
        raise ReviewError("You take no part in this transcript.")
    labels = labels_of(transcript, participant)
    if not labels:
        raise ReviewError("No speaker of this transcript is marked as you.")
    if transcript.is_recording:
        raise ReviewError("The transcript is still recording.")
    with transaction.atomic():
        deleted = _erase(transcript.pk, participant, labels)
        _enqueue_analysis(transcript)
    return deleted


def label_digest(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


DELETED_LABEL = "Deleted account"


def _forget_participant(transcript_id: int, participant: str) -> None:
    """After a deleted account's speech is erased: its speaker labels become "Deleted
    account" (the label is often a name) and new speech under the old labels is refused."""
    locked = Transcript.objects.select_for_update().get(pk=transcript_id)
    speakers, refused = {}, set(locked.refused_labels)
    n = 0
    for label, who in (locked.speakers or {}).items():
        if who == participant:
            refused.add(label_digest(label))
            n += 1
            label = DELETED_LABEL if n == 1 else f"{DELETED_LABEL} {n}"
            refused.discard(label_digest(label))
        speakers[label] = who
    Transcript.objects.filter(pk=transcript_id).update(
        speakers=speakers, refused_labels=sorted(refused)
    )


def transcripts_on_account_delete(*, user_ids: list[int]) -> list[int]:
    """Before the accounts ``user_ids`` are deleted (called from Transcript.user's on_delete).

    - A transcript they own that is shared with the other person of its booking passes to
      that person, without the deleted person's speech, highlights, shares or pins, under a
      neutral title.
    - A transcript someone else owns, of a booking the deleted person took part in, loses
      the deleted person's speech, in every state (recording included).
    In both, the deleted person's speaker labels become "Deleted account" and new segments
    under their old labels are refused. Returns the ids of the transcripts handed over (so
    they are not deleted).
    """
    from prep.booking.models import Booking

    kept = []
    shares = list(
        TranscriptShare.objects.filter(transcript__user_id__in=user_ids)
        .exclude(user_id__in=user_ids)
        .select_related("transcript")
    )
    for share in shares:
        transcript = share.transcript
        owner_part = "guest" if share.participant == "host" else "host"
        _erase(transcript.pk, owner_part, labels_of(transcript, owner_part))
        _forget_participant(transcript.pk, owner_part)
        Segment.objects.filter(transcript=transcript).update(user_id=share.user_id)
        Highlight.objects.filter(transcript=transcript).delete()
        TranscriptShare.objects.filter(transcript=transcript).delete()
        Pin.objects.filter(transcript=transcript).delete()
        Transcript.objects.filter(pk=transcript.pk).update(
            user_id=share.user_id,
            title=f"{transcript.kind_label} mock of {transcript.created_at:%-d %b %Y}",
            pinned={},
        )
        if not transcript.is_recording:
            _enqueue_analysis(transcript)
        kept.append(transcript.pk)
    bookings = Booking.objects.filter(Q(host_id__in=user_ids) | Q(guest_id__in=user_ids))
    others = Transcript.objects.filter(booking_id__in=bookings.values("id")).exclude(
        user_id__in=user_ids
    )
    people = dict(
        (pk, (host, guest)) for pk, host, guest in bookings.values_list("id", "host_id", "guest_id")
    )
    for transcript in others:
        host_id, guest_id = people.get(transcript.booking_id, (None, None))
        for participant, pk in (("host", host_id), ("guest", guest_id)):
            if pk in user_ids:
                labels = labels_of(transcript, participant)
                if labels:
                    _erase(transcript.pk, participant, labels)
                    _forget_participant(transcript.pk, participant)
                    if not transcript.is_recording:
                        _enqueue_analysis(transcript)
    return kept


# --- Review: highlights, comments and cards -----------------------------------------------
def highlight_set(*, transcript: Transcript, user, seq: int, note: str = "") -> Highlight:
    """Highlight a segment (or update its comment); one highlight per person and segment."""
    if transcript.user_id != user.pk:
        raise ReviewError("Only the owner can annotate this transcript.")
    if not Segment.objects.filter(transcript=transcript, seq=seq).exists():
        raise ReviewError("That segment does not exist.")
    highlight, created = Highlight.objects.get_or_create(
        transcript=transcript, user=user, seq=seq, defaults={"note": note.strip()}
    )
    if not created and highlight.note != note.strip():
        highlight.note = note.strip()
        highlight.save(update_fields=["note", "updated_at"])
    return highlight


def highlight_delete(*, highlight: Highlight) -> None:
    highlight.delete()


def question_before(*, transcript: Transcript, seq: int) -> str:
    """The interviewer's question asked at or before ``seq`` (for a card's front), else the
    transcript's question."""
    for q in reversed((transcript.analysis or {}).get("questions", [])):
        if q["seq"] <= seq:
            return q["text"]
    role_map = analysis.RoleMap(
        speakers=transcript.speakers, roles=transcript.roles, phases=transcript.phases
    )
    rows = (
        Segment.objects.filter(transcript=transcript, seq__lte=seq)
        .order_by("-seq")
        .values_list("speaker", "text", "start_ms")[:200]
    )
    for speaker, text, start in rows:
        if role_map.role(speaker, start) == "interviewer":
            asked = analysis.question_text(text)
            if asked:
                return asked
    return transcript.question


def card_from_highlight(*, highlight: Highlight, user, front: str, back: str):
    """Make a flashcard from a highlighted moment, in the user's own default deck."""
    from prep.flashcards import services as flashcards

    if highlight.user_id != user.pk:
        raise ReviewError("Only your own highlights can become cards.")
    front, back = front.strip(), back.strip()
    if not front or not back:
        raise ReviewError("A card needs a front and a back.")
    with transaction.atomic():
        deck = flashcards.deck_default(user=user)
        card = flashcards.card_create(
            user=user, deck=deck, front=front, back=back, tags="transcript"
        )
        Highlight.objects.filter(pk=highlight.pk).update(card_id=card.pk)
        highlight.card_id = card.pk
    return card
