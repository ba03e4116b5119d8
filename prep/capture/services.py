"""Capture rules: who may record what, idempotent session creation, consent, ending.

The transcript content is written through prep.transcripts.services; these services add
the capture-level rules around them (ownership, consent, idempotency, the end of a session).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from prep.booking.models import Booking
from prep.booking.selectors import active_booking_for
from prep.mocks.models import MockKind, Rubric, SoloMock
from prep.transcripts import services as transcript_services
from prep.transcripts.models import (
    PEER_PARTICIPANTS,
    SOLO_PARTICIPANTS,
    SPEAKER_ROLES,
    SWAP,
)
from prep.transcripts.tasks import transcript_postprocess

from .models import CaptureConsent, CaptureSession, IdempotencyRecord

MAX_SPEAKERS = 20


class CaptureError(Exception):
    """A refusal with an HTTP status and a message for the person or program that asked."""

    status = 422

    def __init__(self, detail: str, *, loc: tuple = ()):
        self.detail = detail
        self.loc = list(loc)  # the field it is about, for the API's 422 shape
        super().__init__(detail)


class NotFound(CaptureError):
    status = 404


class Invalid(CaptureError):
    status = 422


class Conflict(CaptureError):
    status = 409


def _request_digest(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_speakers_and_roles(*, speakers: dict, roles: dict, participants: tuple) -> None:
    if len(speakers) > MAX_SPEAKERS:
        raise Invalid(f"At most {MAX_SPEAKERS} speaker labels.", loc=("speakers",))
    for label, who in speakers.items():
        if not str(label).strip():
            raise Invalid("Speaker labels must not be empty.", loc=("speakers",))
        if who not in participants:
            raise Invalid(
                f"Speaker {label!r} maps to {who!r}; use one of: {', '.join(participants)}.",
                loc=("speakers", label),
            )
    for who, role in roles.items():
        if who not in participants:
            raise Invalid(
                f"Roles name {who!r}; use one of: {', '.join(participants)}.", loc=("roles", who)
            )
        if role not in SPEAKER_ROLES:
            raise Invalid(
                f"Role {role!r} is not one of: {', '.join(SPEAKER_ROLES)}.", loc=("roles", who)
            )
    if len(roles) == 2 and len(set(roles.values())) == 1:
        raise Invalid("One person interviews and the other is the candidate.", loc=("roles",))


def consent_missing(*, booking: Booking) -> list[int]:
    """The ids of the booking's participants who have not consented to recording."""
    given = set(
        CaptureConsent.objects.filter(
            booking=booking, user_id__in=booking.participant_ids
        ).values_list("user_id", flat=True)
    )
    return [uid for uid in booking.participant_ids if uid not in given]


def capture_consent_give(*, user, booking: Booking) -> CaptureConsent:
    """Record ``user``'s consent to recording ``booking`` (given twice, kept once)."""
    consent, _ = CaptureConsent.objects.get_or_create(booking=booking, user=user)
    return consent


def capture_consent_withdraw(*, user, booking: Booking) -> bool:
    """Withdraw consent; sessions already recording go on (they were consented to)."""
    deleted, _ = CaptureConsent.objects.filter(booking=booking, user=user).delete()
    return bool(deleted)


def capture_session_create(
    *,
    user,
    title: str,
    kind: str,
    question: str = "",
    booking_id: int | None = None,
    solo_mock_id: int | None = None,
    speakers: dict | None = None,
    roles: dict | None = None,
    idempotency_key: str | None = None,
) -> tuple[CaptureSession, bool]:
    """Start recording a transcript; returns (session, created).

    A booking must be one ``user`` takes part in, and both its people must have consented;
    a solo mock must be the user's own. Speaker labels map to host/guest for a booking and
    to me/other otherwise. With an ``idempotency_key``, a retry of the same request returns
    the session the first one created; the same key with a different request is refused.
    """
    speakers = dict(speakers or {})
    roles = dict(roles or {})
    payload = {
        "title": title,
        "kind": kind,
        "question": question,
        "booking": booking_id,
        "solo_mock": solo_mock_id,
        "speakers": speakers,
        "roles": roles,
    }
    digest = _request_digest(payload)
    if idempotency_key:
        replay = _idempotent_replay(user=user, key=idempotency_key, digest=digest)
        if replay is not None:
            return replay, False

    if kind not in MockKind.values:
        raise Invalid(
            f"Unknown kind {kind!r}; use one of: {', '.join(MockKind.values)}.", loc=("kind",)
        )
    if booking_id is not None and solo_mock_id is not None:
        raise Invalid(
            "A capture belongs to a booking or to a solo mock, not both.", loc=("solo_mock",)
        )
    booking = None
    solo_mock = None
    if booking_id is not None:
        booking = active_booking_for(user=user, booking_id=booking_id)
        if booking is None:
            raise NotFound("Booking not found.")
        if consent_missing(booking=booking):
            raise Conflict(
                "Recording this booking needs both people's consent in Prep first "
                "(Booking → the session → Consent to recording)."
            )
    if solo_mock_id is not None:
        solo_mock = SoloMock.objects.filter(user=user, pk=solo_mock_id).first()
        if solo_mock is None:
            raise NotFound("Solo mock not found.")
    participants = PEER_PARTICIPANTS if booking else SOLO_PARTICIPANTS
    _check_speakers_and_roles(speakers=speakers, roles=roles, participants=participants)

    try:
        with transaction.atomic():
            transcript = transcript_services.transcript_create(
                user=user,
                title=title,
                kind=kind,
                question=question,
                speakers=speakers,
                roles=roles,
                booking_id=booking_id,
                solo_mock=solo_mock,
            )
            session = CaptureSession.objects.create(
                user=user, transcript=transcript, booking_id=booking_id, solo_mock=solo_mock
            )
            if idempotency_key:
                IdempotencyRecord.objects.create(
                    user=user, key=idempotency_key, request_digest=digest, session=session
                )
    except IntegrityError:
        # The same key, created by a concurrent copy of this request.
        if idempotency_key:
            replay = _idempotent_replay(user=user, key=idempotency_key, digest=digest)
            if replay is not None:
                return replay, False
        raise
    return session, True


def _idempotent_replay(*, user, key: str, digest: str) -> CaptureSession | None:
    record = (
        IdempotencyRecord.objects.select_related("session__transcript")
        .filter(user=user, key=key)
        .first()
    )
    if record is None:
        return None
    if record.request_digest != digest:
        raise Invalid(
            "This Idempotency-Key was already used with a different request.",
            loc=("header", "Idempotency-Key"),
        )
    return record.session


def allowed_phases(*, kind: str) -> list[str]:
    """The phases a mark may name: the rubric's phases for the kind, and ``swap``."""
    rubric = Rubric.objects.filter(kind=kind).only("phases").first()
    slugs = [p["slug"] for p in rubric.phases] if rubric else []
    return [*slugs, SWAP]


def capture_phase_mark(*, session: CaptureSession, phase: str, at_ms: int):
    allowed = allowed_phases(kind=session.transcript.kind)
    if phase not in allowed:
        raise Invalid(
            f"Unknown phase {phase!r} for this kind; use one of: {', '.join(allowed)}.",
            loc=("phase",),
        )
    return transcript_services.phase_mark(transcript=session.transcript, phase=phase, at_ms=at_ms)


def capture_session_end(*, session: CaptureSession, now: dt.datetime | None = None) -> bool:
    """End the session: no new content from now on, and post-processing is enqueued once.

    Ending twice is harmless; returns True the first time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        updated = CaptureSession.objects.filter(
            pk=session.pk, status=CaptureSession.Status.ACTIVE
        ).update(status=CaptureSession.Status.ENDED, ended_at=now)
        ended = transcript_services.transcript_end(transcript=session.transcript, now=now)
        if updated:
            session.status, session.ended_at = CaptureSession.Status.ENDED, now
        if ended:
            transcript_postprocess.delay_on_commit(session.transcript_id)
    return bool(updated)
