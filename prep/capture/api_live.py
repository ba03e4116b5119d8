"""API v1 routes for live overlays: list sessions, read segments back, remove a pin, and the
session's event stream (Server-Sent Events). Registered on ``api.api`` when it is imported.

Errors follow the rest of the API: JSON ``{"detail": …}``; another user's session is a 404.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Query, Schema, Status

from prep.transcripts import services as transcript_services

from . import selectors, stream
from .api import MAX_SEQ, ErrorOut, SessionOut, _session_out, api

MAX_PAGE = 100
MAX_SEGMENT_PAGE = 1000


class SessionPage(Schema):
    sessions: list[SessionOut]
    next_before: int | None


class SegmentOut(Schema):
    seq: int
    speaker: str
    text: str
    start_ms: int
    end_ms: int
    final: bool


class SegmentPage(Schema):
    segments: list[SegmentOut]
    next_after: int | None
    last_contiguous_seq: int


class SessionsQuery(Schema):
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 20
    before: Annotated[int, Field(ge=1, le=2**62)] | None = None


class SegmentsQuery(Schema):
    after: Annotated[int, Field(ge=-1, le=MAX_SEQ)] = -1
    limit: Annotated[int, Field(ge=1, le=MAX_SEGMENT_PAGE)] = 500


@api.get("/capture/sessions", response={200: SessionPage}, summary="List my sessions")
def list_sessions(request, query: Query[SessionsQuery]):
    """Your capture sessions, newest first, `limit` a page (≤ 100). The next page:
    `?before=<next_before>`; `next_before` is null on the last page."""
    page = selectors.sessions_page(user=request.auth.user, before=query.before, limit=query.limit)
    more = len(page) == query.limit
    return {
        "sessions": [_session_out(s) for s in page],
        "next_before": page[-1].pk if page and more else None,
    }


@api.get(
    "/capture/sessions/{session_id}/segments",
    response={200: SegmentPage},
    summary="Read segments back",
)
def list_segments(request, session_id: int, query: Query[SegmentsQuery]):
    """Stored segments with a seq above `after`, in seq order, finals and interims (`final`
    says which), `limit` a page (≤ 1000). The next page: `?after=<next_after>`."""
    session = selectors.session_get(user=request.auth.user, pk=session_id)
    rows = selectors.segments_after(session=session, after=query.after, limit=query.limit)
    return {
        "segments": [
            {
                "seq": r.seq,
                "speaker": r.speaker,
                "text": r.text,
                "start_ms": r.start_ms,
                "end_ms": r.end_ms,
                "final": r.final,
            }
            for r in rows
        ],
        "next_after": rows[-1].seq if len(rows) == query.limit else None,
        "last_contiguous_seq": session.transcript.contiguous_seq,
    }


@api.delete(
    "/capture/sessions/{session_id}/pins/{pin_id}",
    response={204: None, 404: ErrorOut, 409: ErrorOut},
    summary="Remove a pin",
)
def delete_pin(request, session_id: int, pin_id: int):
    """Remove a pin while the session records (a correction, an undo); 404 if the session
    has no such pin, 409 once the session has ended."""
    session = selectors.session_get(user=request.auth.user, pk=session_id)
    if not transcript_services.pin_delete(transcript=session.transcript, pin_id=pin_id):
        return Status(404, {"detail": "No such pin in this session."})
    return Status(204, None)


@api.get(
    "/capture/sessions/{session_id}/events",
    response={200: None},
    summary="The session's live events (Server-Sent Events)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "text/event-stream: `segments`, `pin`, `pin_deleted`, `phase` "
                "and `status` events, each with an id; resume with `Last-Event-ID`.",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def session_events(request, session_id: int):
    """A Server-Sent Events stream of what changes in the session, in order, each event with
    an id. Resume after a dropped connection with `Last-Event-ID: <id>`, or start at
    `?after=<last_event_id>` from the context; comment heartbeats keep it open."""
    session = selectors.session_get(user=request.auth.user, pk=session_id)
    return stream.event_stream_response(request, transcript_id=session.transcript_id)
