"""The capture API v1 (django-ninja): what the desktop overlay talks to.

Mounted by prep/urls.py as ``path("api/v1/", api.urls)``. Only ``Authorization: Bearer
<token>`` authenticates (no session cookie, no query string), so CSRF does not apply.
Errors follow the site's API contract (``prep.lib.api.JsonAPI``): JSON ``{"detail": ...}``
on every path, method and failure, a list of ``{type, loc, msg}`` for 422; input types are
strict and text must be storable. Another user's session is a 404 on every route.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Annotated, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status
from ninja.errors import HttpError, Throttled
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from pydantic import BaseModel, model_validator

from prep.accounts.tokens import api_token_authenticate
from prep.lib.api import ErrorOut, JsonAPI, StrictModel, StrictSchema, validation_item
from prep.lib.text import unstorable_reason
from prep.mocks.models import MockKind
from prep.transcripts import services as transcript_services
from prep.transcripts.models import PIN_KINDS
from prep.transcripts.services import SegmentConflict, SegmentIn, TooMany, TranscriptClosed

from . import selectors, services

MAX_BODY_BYTES = 1_000_000
MAX_SEGMENTS = 500
MAX_TEXT = 10_000
MAX_MS = 10**11  # about three years of media time
MAX_SEQ = 10**12


class JsonParser(Parser):
    """A body that is not JSON is a 400, not a validation error."""

    def parse_body(self, request: HttpRequest):
        try:
            return json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise HttpError(400, "The request body is not valid JSON.") from exc


class BearerToken(HttpBearer):
    """A personal API token in the Authorization header, and nothing else.

    (The body size limit, 413, is held at the edge by JsonAPI, before any parsing.) Requests
    without a valid token are limited per client IP (``PREP_API_ANON_RATE_PER_MINUTE``; the IP as the
    sign-in limits see it, behind ``ALLAUTH_TRUSTED_PROXY_COUNT`` proxies): 429 beyond it.
    """

    def __call__(self, request: HttpRequest):
        key = _anon_key(request)
        limit = getattr(settings, "PREP_API_ANON_RATE_PER_MINUTE", 60)
        if (cache.get(key) or 0) >= limit:
            raise Throttled(wait=int(max(1.0, 60 - time.time() % 60)))
        token = super().__call__(request)
        if token is not None and not token.allows(request.method):
            raise HttpError(403, "This token is read-only.")
        if token is None:
            if not cache.add(key, 1, timeout=120):
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, timeout=120)
        return token

    def authenticate(self, request: HttpRequest, token: str):
        return api_token_authenticate(token)


def _anon_key(request: HttpRequest) -> str:
    from allauth.account.adapter import get_adapter

    try:
        ip = get_adapter().get_client_ip(request)
    except Exception:  # noqa: BLE001 - no usable address: one shared bucket
        ip = "unknown"
    return f"capture:anon:{ip}:{int(time.time() // 60)}"


class TokenRate(BaseThrottle):
    """A fixed one-minute window per token, counted in Django's cache (Redis when set)."""

    def allow_request(self, request: HttpRequest) -> bool:
        limit = settings.PREP_CAPTURE_RATE_PER_MINUTE
        now = time.time()
        window = int(now // 60)
        key = f"capture:rate:{request.auth.prefix}:{window}"
        # Counted first, created only by the window's first request: every poll of the
        # overlay went to the cache three times (add, then incr's check and increment).
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request (or its key just expired)
            if cache.add(key, 1, timeout=120):
                count = 1
            else:  # another request created it meanwhile
                try:
                    count = cache.incr(key)
                except ValueError:
                    cache.set(key, 1, timeout=120)
                    count = 1
        # Every answer says where the client stands (IETF RateLimit header fields).
        request.api_headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - count)),
            "RateLimit-Reset": str(max(1, int(60 - now % 60))),
        }
        return count <= limit

    def wait(self) -> float:
        return max(1.0, 60 - time.time() % 60)


api = JsonAPI(
    title="Prep capture API",
    version="1",
    description=(
        "The API the desktop overlay uses to record a live mock: create a capture session, "
        "stream transcript segments in batches (at-least-once delivery, applied exactly "
        "once), pin the framing, mark phases, read back the live context, end the session. "
        "Authenticate with `Authorization: Bearer <token>` (Settings → API tokens)."
    ),
    urls_namespace="api-v1",
    auth=BearerToken(),
    throttle=TokenRate(),
    parser=JsonParser(),
    max_body_bytes=MAX_BODY_BYTES,
)


# --- Schemas -----------------------------------------------------------------------------
Participant = Literal["host", "guest", "me", "other"]
Role = Literal["interviewer", "candidate"]
Kind = Literal[tuple(MockKind.values)]  # type: ignore[valid-type]
PinKindLiteral = Literal[PIN_KINDS]  # type: ignore[valid-type]


class ConflictOut(Schema):
    detail: str
    seqs: list[int] = []


class SessionIn(StrictSchema):
    """`booking` and `solo_mock` exclude each other. Speaker labels map to `host`/`guest`
    for a booking and to `me`/`other` otherwise; roles map those to interviewer/candidate."""

    model_config = {"json_schema_extra": {"not": {"required": ["booking", "solo_mock"]}}}

    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Kind
    booking: Annotated[
        int | None,
        Field(ge=1, le=2**62, description="A booking you take part in; excludes `solo_mock`."),
    ] = None
    solo_mock: Annotated[
        int | None,
        Field(ge=1, le=2**62, description="A solo mock of yours; excludes `booking`."),
    ] = None
    question: Annotated[str, Field(max_length=5000)] = ""
    speakers: Annotated[
        dict[Annotated[str, Field(min_length=1, max_length=100)], Participant],
        Field(
            max_length=20,
            description="Speaker label → `host`/`guest` with a booking, `me`/`other` without.",
        ),
    ] = {}
    roles: Annotated[
        dict[Participant, Role],
        Field(description="`host`/`guest` (booking) or `me`/`other` → role; one of each."),
    ] = {}


class Counts(Schema):
    segments: int
    final: int
    pins: int
    phases: int


class SessionOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    transcript_status: str
    question: str
    booking: int | None
    solo_mock: int | None
    speakers: dict[str, str]
    roles: dict[str, str]
    counts: Counts
    last_contiguous_seq: int
    max_seq: int
    created_at: str
    ended_at: str | None


class SegmentSchema(StrictModel):  # plain pydantic: ninja's ORM-aware Schema costs per item
    """`end_ms` must not be before `start_ms`."""

    seq: Annotated[int, Field(ge=0, le=MAX_SEQ)]
    speaker: Annotated[str, Field(min_length=1, max_length=100)]
    text: Annotated[str, Field(max_length=MAX_TEXT)]
    start_ms: Annotated[int, Field(ge=0, le=MAX_MS)]
    end_ms: Annotated[int, Field(ge=0, le=MAX_MS, description="≥ `start_ms`.")]
    final: bool

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end_ms < self.start_ms:
            raise ValueError("end_ms must not be before start_ms")
        return self


class BatchIn(StrictModel):
    segments: Annotated[list[SegmentSchema], Field(min_length=1, max_length=MAX_SEGMENTS)]


class IngestOut(Schema):
    new: int
    duplicate: int
    replaced: int
    stale: int
    last_contiguous_seq: int


class PinIn(StrictSchema):
    kind: PinKindLiteral
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    at_ms: Annotated[int, Field(ge=0, le=MAX_MS)]


class PinOut(Schema):
    id: int
    kind: str
    text: str
    at_ms: int


class PhaseIn(StrictSchema):
    phase: Annotated[
        str,
        Field(
            min_length=1,
            max_length=40,
            pattern=r"^[a-z0-9_]+$",
            description=(
                "One of the phases of the rubric for the session's kind, or `swap`; any "
                "other value is a 422 that lists the allowed phases."
            ),
        ),
    ]
    at_ms: Annotated[int, Field(ge=0, le=MAX_MS)]


class PhaseOut(Schema):
    phase: str
    at_ms: int


# The context is polled by every overlay: its answer is a plain pydantic model (ninja's
# ORM-aware Schema runs a root validator for each pin and phase, for nothing: it is a dict).
class PinEntry(BaseModel):
    id: int
    text: str
    at_ms: int


class PhaseEntry(BaseModel):
    phase: str
    ms: int


class ContextOut(BaseModel):
    question: str
    pins: dict[str, list[PinEntry]]
    phase: str | None
    phase_started_ms: int | None
    phases: list[PhaseEntry]
    roles: dict[str, str]
    status: str
    last_event_id: int = 0


class EndOut(Schema):
    id: int
    status: str
    transcript_status: str


# 400, 401, 404, 405, 413, 415, 422, 429 and 500 are declared on every operation by JsonAPI.


# --- Error handlers ---------------------------------------------------------------------
@api.exception_handler(services.CaptureError)
def _capture_error(request, exc: services.CaptureError):
    if exc.status == 422:  # a rule the schema states in words: the 422 shape, naming the field
        loc = ["body", "payload", *exc.loc] if exc.loc and exc.loc[0] != "header" else exc.loc
        detail = [validation_item(loc=loc or ["body", "payload"], msg=exc.detail)]
        return api.error(request, 422, detail)
    return api.error(request, exc.status, exc.detail)


@api.exception_handler(SegmentConflict)
def _segment_conflict(request, exc: SegmentConflict):
    seqs = ", ".join(str(s) for s in exc.seqs[:50])
    detail = (
        f"A final differs from the stored final for seq {seqs}; nothing from this batch was stored."
    )
    return api.create_response(request, {"detail": detail, "seqs": exc.seqs}, status=409)


@api.exception_handler(TranscriptClosed)
def _closed(request, exc: TranscriptClosed):
    detail = "The session has ended: only exact resends are accepted."
    return api.create_response(request, {"detail": detail, "seqs": exc.seqs}, status=409)


@api.exception_handler(TooMany)
def _too_many(request, exc: TooMany):
    return api.create_response(request, {"detail": str(exc)}, status=409)


# --- Routes -----------------------------------------------------------------------------
def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _session_out(session) -> dict:
    data = selectors.session_summary(session)
    data["created_at"] = _iso(data["created_at"])
    data["ended_at"] = _iso(data["ended_at"])
    return data


@api.post(
    "/capture/sessions",
    response={200: SessionOut, 201: SessionOut, 409: ErrorOut},
    summary="Create a capture session",
)
def create_session(request, payload: SessionIn, response: HttpResponse):
    """Start recording. An `Idempotency-Key` header makes a retry return the same session:
    201 the first time, 200 with `Idempotent-Replayed: true` for a replay.

    A booking needs both people's consent in Prep first (409 otherwise); speaker labels map
    to `host`/`guest` for a booking and to `me`/`other` otherwise.
    """
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > 200:
        raise HttpError(400, "The Idempotency-Key header is longer than 200 characters.")
    if unstorable_reason(key):
        raise HttpError(400, f"The Idempotency-Key header contains {unstorable_reason(key)}.")
    session, created = services.capture_session_create(
        user=request.auth.user,
        title=payload.title,
        kind=payload.kind,
        question=payload.question,
        booking_id=payload.booking,
        solo_mock_id=payload.solo_mock,
        speakers=payload.speakers,
        roles=payload.roles,
        idempotency_key=key or None,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _session_out(session))


@api.get("/capture/sessions/{session_id}", response={200: SessionOut})
def get_session(request, session_id: int):
    """Status, counts and `last_contiguous_seq` (resume sending after it)."""
    return _session_out(selectors.session_get(user=request.auth.user, pk=session_id))


@api.post(
    "/capture/sessions/{session_id}/segments",
    response={200: IngestOut, 409: ConflictOut},
)
def post_segments(request, session_id: int, payload: BatchIn):
    """A batch of up to 500 segments (1 MB); applied exactly once whatever was sent before.

    Interims are replaced by later versions; an interim after its final is `stale`; an
    identical resend is a `duplicate`; a final that differs from the stored final refuses
    the whole batch with 409 naming the seqs. After `end`, exact resends still answer 200.
    """
    session = selectors.session_get(user=request.auth.user, pk=session_id)
    result = transcript_services.segment_batch_ingest(
        transcript=session.transcript,
        segments=[
            SegmentIn(s.seq, s.speaker, s.text, s.start_ms, s.end_ms, s.final)
            for s in payload.segments
        ],
    )
    return {
        "new": result.new,
        "duplicate": result.duplicate,
        "replaced": result.replaced,
        "stale": result.stale,
        "last_contiguous_seq": result.last_contiguous_seq,
    }


@api.post(
    "/capture/sessions/{session_id}/pins",
    response={200: PinOut, 201: PinOut, 409: ErrorOut},
)
def post_pin(request, session_id: int, payload: PinIn):
    """Pin framing (question, assumption, constraint, metric, decision, note). A resend of
    the same pin answers 200 with the pin already stored."""
    session = selectors.session_get(user=request.auth.user, pk=session_id)
    pin, created = transcript_services.pin_add(
        transcript=session.transcript, kind=payload.kind, text=payload.text, at_ms=payload.at_ms
    )
    body = {"id": pin.pk, "kind": pin.kind, "text": pin.text, "at_ms": pin.at_ms}
    return Status(201 if created else 200, body)


@api.post(
    "/capture/sessions/{session_id}/phases",
    response={200: PhaseOut, 201: PhaseOut, 409: ErrorOut},
)
def post_phase(request, session_id: int, payload: PhaseIn):
    """Mark the start of a phase (the kind's rubric phases) or `swap` (interviewer and
    candidate exchange roles). A resend of the same mark answers 200."""
    session = selectors.session_get(user=request.auth.user, pk=session_id)
    mark, created = services.capture_phase_mark(
        session=session, phase=payload.phase, at_ms=payload.at_ms
    )
    return Status(201 if created else 200, {"phase": mark.phase, "at_ms": mark.at_ms})


@api.get("/capture/sessions/{session_id}/context", response={200: ContextOut, 304: None})
def get_context(request, session_id: int, response: HttpResponse):
    """The question, everything pinned so far by kind, the current phase, and
    `last_event_id` (stream from there). Answers 304 to an `If-None-Match` with its ETag."""
    session = selectors.session_with_cursor(user=request.auth.user, pk=session_id)
    body = selectors.session_context_live(session)
    etag = context_etag(body)
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return body


def context_etag(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def etag_matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}
    return "*" in tags or etag in tags


@api.post("/capture/sessions/{session_id}/end", response={202: EndOut})
def end_session(request, session_id: int):
    """End the session (idempotent); post-processing of the transcript is enqueued."""
    session = selectors.session_get(user=request.auth.user, pk=session_id)
    services.capture_session_end(session=session)
    body = {
        "id": session.pk,
        "status": session.status,
        "transcript_status": session.transcript.status,
    }
    return Status(202, body)


# Routes of the live overlay (sessions list, segments read-back, pin removal, the stream)
# live in their own module; importing it registers them on this API.
from . import api_live  # noqa: E402,F401
