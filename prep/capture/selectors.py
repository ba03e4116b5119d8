"""Reads for capture: sessions scoped to their owner, the live context, the live page."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from prep.transcripts.models import Segment, TranscriptEvent

from .models import CaptureSession

#: The most segments one poll of the live page returns; the next poll continues.
LIVE_PAGE_SIZE = 200


def sessions_for_user(user) -> QuerySet[CaptureSession]:
    return CaptureSession.objects.for_user(user).select_related("transcript")


def session_get(*, user, pk: int) -> CaptureSession:
    """The user's session with its transcript, in one query; 404 for anyone else's."""
    return get_object_or_404(sessions_for_user(user), pk=pk)


def session_summary(session: CaptureSession) -> dict:
    t = session.transcript
    return {
        "id": session.pk,
        "title": t.title,
        "kind": t.kind,
        "status": session.status,
        "transcript_status": t.status,
        "question": t.question,
        "booking": session.booking_id,
        "solo_mock": session.solo_mock_id,
        "speakers": t.speakers,
        "roles": t.current_roles(),
        "counts": {
            "segments": t.segment_count,
            "final": t.final_count,
            "pins": sum(len(v) for v in t.pinned.values()),
            "phases": len(t.phases),
        },
        "last_contiguous_seq": t.contiguous_seq,
        "max_seq": t.max_seq,
        "created_at": session.created_at,
        "ended_at": session.ended_at,
    }


def session_context(session: CaptureSession) -> dict:
    """What the overlay shows: the question, the pins by kind, the phase and its start.

    Read from the transcript's denormalised fields only: no segment or pin query.
    """
    t = session.transcript
    return {
        "question": t.question,
        "pins": {kind: [dict(p) for p in entries] for kind, entries in t.pinned.items()},
        "phase": t.current_phase or None,
        "phase_started_ms": t.phase_started_ms,
        "phases": [{"phase": p["phase"], "ms": p["ms"]} for p in t.phases],
        "roles": t.current_roles(),
        "status": session.status,
    }


def live_segments(*, session: CaptureSession, after: int) -> tuple[list[Segment], list[Segment]]:
    """(finals to append, interims at the tail) after seq ``after``, in seq order.

    Finals are released in order up to the first interim or gap, so the page never shows a
    line out of order; the interims after that point are shown as the live tail.
    """
    rows = list(
        Segment.objects.filter(transcript_id=session.transcript_id, seq__gt=after)
        .order_by("seq")
        .only("seq", "speaker", "text", "start_ms", "end_ms", "final")[:LIVE_PAGE_SIZE]
    )
    finals: list[Segment] = []
    expected = after + 1
    for row in rows:
        if row.seq != expected or not row.final:
            break
        finals.append(row)
        expected += 1
    tail = [row for row in rows[len(finals) :] if not row.final][:5]
    return finals, tail


def session_with_cursor(*, user, pk: int) -> CaptureSession:
    """The user's session with ``last_event_id`` read in the same statement as the live
    context, so the context and the stream's starting point agree (404 for anyone else's)."""
    latest = (
        TranscriptEvent.objects.filter(transcript_id=OuterRef("transcript_id"))
        .order_by("-seq")
        .values("seq")[:1]
    )
    qs = sessions_for_user(user).annotate(last_event_id=Coalesce(Subquery(latest), 0))
    return get_object_or_404(qs, pk=pk)


def session_context_live(session: CaptureSession) -> dict:
    """The live context plus where its event stream continues (``last_event_id``)."""
    return {**session_context(session), "last_event_id": session.last_event_id}


def sessions_page(*, user, before: int | None, limit: int) -> list[CaptureSession]:
    """The user's sessions, newest first, ``limit`` of them with an id below ``before``."""
    qs = sessions_for_user(user).order_by("-id")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs[:limit])


def segments_after(*, session: CaptureSession, after: int, limit: int) -> list[Segment]:
    """Stored segments (finals and interims) with a seq above ``after``, in seq order."""
    return list(
        Segment.objects.filter(transcript_id=session.transcript_id, seq__gt=after)
        .order_by("seq")
        .only("seq", "speaker", "text", "start_ms", "end_ms", "final")[:limit]
    )
