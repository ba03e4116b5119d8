"""The event log of a recording transcript, and its publication after commit.

Every service that changes what a live listener shows (segments, pins, phase marks, the
end) calls ``record`` inside its transaction, holding the transcript's row lock: the event
gets the next ``seq`` of that transcript and is stored with the change, and once the
transaction commits it is published (``prep.lib.pubsub``) on the transcript's channel.
A rolled-back change publishes nothing; a lost publication is found again in the log by
seq (the stream resumes from it), so listeners neither miss nor repeat an event.

Uploaded transcripts have no listeners and record no events.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Max

from prep.lib import pubsub

from .models import Transcript, TranscriptEvent

KINDS = ("segments", "pin", "pin_deleted", "phase", "status")


def channel(transcript_id: int) -> str:
    return f"transcript:{transcript_id}"


def encode(seq: int, kind: str, data: dict) -> str:
    """The wire form of an event on the bus: ``<seq> <kind> <json>``."""
    return f"{seq} {kind} {json.dumps(data, separators=(',', ':'), ensure_ascii=False)}"


def decode(message: str) -> tuple[int, str, str]:
    seq, kind, data = message.split(" ", 2)
    return int(seq), kind, data


def last_seq(transcript_id: int) -> int:
    """The seq of the transcript's latest event (0 if none)."""
    value = TranscriptEvent.objects.filter(transcript_id=transcript_id).aggregate(m=Max("seq"))
    return value["m"] or 0


def record(*, transcript: Transcript, kind: str, data: dict) -> TranscriptEvent | None:
    """Store an event for ``transcript`` (locked by the caller) and publish it on commit."""
    if transcript.source != Transcript.Source.CAPTURED:
        return None
    seq = last_seq(transcript.pk) + 1
    event = TranscriptEvent.objects.create(transcript=transcript, seq=seq, kind=kind, data=data)
    message = encode(seq, kind, data)
    name = channel(transcript.pk)
    transaction.on_commit(lambda: pubsub.publish(name, message))
    return event


def after(transcript_id: int, seq: int, *, limit: int = 500) -> list[tuple[int, str, str]]:
    """Up to ``limit`` events after ``seq``, in order, as (seq, kind, json)."""
    rows = (
        TranscriptEvent.objects.filter(transcript_id=transcript_id, seq__gt=seq)
        .order_by("seq")
        .values_list("seq", "kind", "data")[:limit]
    )
    return [(s, k, json.dumps(d, separators=(",", ":"), ensure_ascii=False)) for s, k, d in rows]


def segment_data(segment) -> dict:
    return {
        "seq": segment.seq,
        "speaker": segment.speaker,
        "text": segment.text,
        "start_ms": segment.start_ms,
        "end_ms": segment.end_ms,
        "final": segment.final,
    }
