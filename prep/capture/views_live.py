"""The live overlay: its page, its event stream, its keyboard actions and browser speech.

Everything here is for the session's signed-in owner (another user's session is a 404) and
goes through the same services as the API: pins (``pin_add``/``pin_delete``), phase marks
(``capture_phase_mark``) and segments (``segment_batch_ingest``, so browser speech has the
API's exactly-once rules). The actions answer JSON; what they change reaches every open
page through the stream, so the page never applies its own writes twice.
"""

from __future__ import annotations

import json
from typing import Annotated

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from pydantic import BaseModel, Field, ValidationError, model_validator

from prep.booking.selectors import active_booking_for
from prep.transcripts import services as transcript_services
from prep.transcripts.models import PIN_KINDS, SWAP, Pin, Transcript

from . import selectors, services, stream

#: What the overlay pins with a key; the other kinds are pinned through the API.
OVERLAY_PIN_KINDS = ("constraint", "metric", "assumption", "decision")
LAST_LINES = 6
MAX_SPEECH_BATCH = 50
MAX_TEXT = 10_000
MAX_MS = 10**11


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _elapsed_ms(session) -> int:
    return max(0, int((timezone.now() - session.created_at).total_seconds() * 1000))


def _epoch_ms(value) -> int | None:
    return int(value.timestamp() * 1000) if value else None


def _phase_order(transcript: Transcript) -> list[str]:
    return [p for p in services.allowed_phases(kind=transcript.kind) if p != SWAP]


def _consent_missing(session, user) -> bool:
    if not session.booking_id:
        return False
    booking = active_booking_for(user=user, booking_id=session.booking_id)
    return booking is None or bool(services.consent_missing(booking=booking))


def speech_label(session, user) -> str:
    """The speaker label browser speech is stored under: the label mapped to the owner's
    participant (host/guest of the booking, "me" solo), else "Me"."""
    participant = "me"
    if session.booking_id:
        booking = active_booking_for(user=user, booking_id=session.booking_id)
        participant = booking.role_of(user) if booking else ""
    labels = transcript_services.labels_of(session.transcript, participant) if participant else []
    return labels[0] if labels else "Me"


@login_required
@require_GET
def overlay(request, pk):
    session = selectors.session_with_cursor(user=request.user, pk=pk)
    transcript = session.transcript
    context = selectors.session_context_live(session)
    planned, _ = transcript_services._rubric_context(transcript)
    finals, tail = selectors.live_segments(session=session, after=max(-1, transcript.max_seq - 50))
    config = {
        "session": session.pk,
        "events": f"/capture/sessions/{session.pk}/events",
        "after": context["last_event_id"],
        "active": session.is_active,
        "now": int(timezone.now().timestamp() * 1000),
        "sessionStart": _epoch_ms(session.created_at),
        "phaseStartedAt": _epoch_ms(transcript.phase_started_at),
        "phase": context["phase"],
        "phases": context["phases"],
        "order": _phase_order(transcript),
        "planned": planned,
        "nextSeq": transcript.max_seq + 1,
        "speaker": speech_label(session, request.user),
        "consent": not _consent_missing(session, request.user),
        "urls": {
            "pin": f"/capture/sessions/{session.pk}/overlay/pin/",
            "undo": f"/capture/sessions/{session.pk}/overlay/undo/",
            "next": f"/capture/sessions/{session.pk}/overlay/next-phase/",
            "speech": f"/capture/sessions/{session.pk}/speech/",
        },
    }
    return render(
        request,
        "capture/overlay.html",
        {
            "session": session,
            "transcript": transcript,
            "context": context,
            "pin_kinds": OVERLAY_PIN_KINDS,
            "lines": (list(finals) + list(tail))[-LAST_LINES:],
            "config": config,
        },
    )


@login_required
@require_GET
def events(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    return stream.event_stream_response(request, transcript_id=session.transcript_id)


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


@login_required
@require_POST
def overlay_pin(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    body = _json_body(request)
    if body is None:
        return _error(400, "The request body is not valid JSON.")
    kind = body.get("kind")
    text = body.get("text")
    if kind not in PIN_KINDS:
        return _error(422, f"kind must be one of: {', '.join(PIN_KINDS)}.")
    if not isinstance(text, str) or not text.strip() or len(text) > 2000 or "\x00" in text:
        return _error(422, "text must be 1 to 2000 characters.")
    try:
        pin, created = transcript_services.pin_add(
            transcript=session.transcript, kind=kind, text=text.strip(), at_ms=_elapsed_ms(session)
        )
    except transcript_services.TranscriptClosed:
        return _error(409, "The session has ended.")
    except transcript_services.TooMany as exc:
        return _error(409, str(exc))
    data = {"id": pin.pk, "kind": pin.kind, "text": pin.text, "at_ms": pin.at_ms}
    return JsonResponse(data, status=201 if created else 200)


@login_required
@require_POST
def overlay_undo(request, pk):
    """Remove the session's most recent pin."""
    session = selectors.session_get(user=request.user, pk=pk)
    last = Pin.objects.filter(transcript_id=session.transcript_id).order_by("-id").first()
    if last is None:
        return _error(409, "Nothing is pinned.")
    try:
        transcript_services.pin_delete(transcript=session.transcript, pin_id=last.pk)
    except transcript_services.TranscriptClosed:
        return _error(409, "The session has ended.")
    return JsonResponse({"id": last.pk, "kind": last.kind, "text": last.text})


@login_required
@require_POST
def overlay_next_phase(request, pk):
    """Mark the phase after the current one (in the rubric's order) as starting now."""
    session = selectors.session_get(user=request.user, pk=pk)
    transcript = session.transcript
    order = _phase_order(transcript)
    if not order:
        return _error(409, "This kind of mock has no phases.")
    current = transcript.current_phase
    index = order.index(current) + 1 if current in order else 0
    if index >= len(order):
        return _error(409, "This is the last phase.")
    try:
        mark, _ = services.capture_phase_mark(
            session=session, phase=order[index], at_ms=_elapsed_ms(session)
        )
    except transcript_services.TranscriptClosed:
        return _error(409, "The session has ended.")
    except (services.CaptureError, transcript_services.TooMany) as exc:
        return _error(409, getattr(exc, "detail", str(exc)))
    return JsonResponse({"phase": mark.phase, "at_ms": mark.at_ms})


class SpeechSegment(BaseModel):
    seq: Annotated[int, Field(ge=0, le=10**12)]
    text: Annotated[str, Field(max_length=MAX_TEXT)]
    start_ms: Annotated[int, Field(ge=0, le=MAX_MS)]
    end_ms: Annotated[int, Field(ge=0, le=MAX_MS)]
    final: bool

    @model_validator(mode="after")
    def _valid(self):
        if self.end_ms < self.start_ms:
            raise ValueError("end_ms must not be before start_ms")
        if "\x00" in self.text:
            raise ValueError("text must not contain NUL")
        return self


class SpeechBatch(BaseModel):
    segments: Annotated[list[SpeechSegment], Field(min_length=1, max_length=MAX_SPEECH_BATCH)]


@login_required
@require_POST
def speech(request, pk):
    """Browser speech recognition's interim and final results, stored like the API's
    segments (same service, same rules) under the owner's speaker label."""
    session = selectors.session_get(user=request.user, pk=pk)
    body = _json_body(request)
    if body is None:
        return _error(400, "The request body is not valid JSON.")
    try:
        batch = SpeechBatch.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, f"{where}: {first.get('msg', 'invalid')}")
    if _consent_missing(session, request.user):
        return _error(409, "Recording this booking needs both people's consent.")
    label = speech_label(session, request.user)
    try:
        result = transcript_services.segment_batch_ingest(
            transcript=session.transcript,
            segments=[
                transcript_services.SegmentIn(s.seq, label, s.text, s.start_ms, s.end_ms, s.final)
                for s in batch.segments
            ],
        )
    except transcript_services.SegmentConflict as exc:
        return JsonResponse(
            {"detail": "A final differs from the stored final.", "seqs": exc.seqs}, status=409
        )
    except transcript_services.TranscriptClosed:
        return _error(409, "The session has ended.")
    return JsonResponse(
        {
            "new": result.new,
            "duplicate": result.duplicate,
            "replaced": result.replaced,
            "stale": result.stale,
            "last_contiguous_seq": result.last_contiguous_seq,
        }
    )
