"""Transcripts built through the services, as capture or an upload would build them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from prep.booking.models import Booking
from prep.mocks.models import Prompt
from prep.transcripts import services
from prep.transcripts.models import Segment, Transcript
from prep.transcripts.services import SegmentIn

FIXTURES = Path(__file__).parent / "fixtures"
WORDS = (
    "we rank candidates with a two tower model then rerank with features like dwell time and "
    "freshness the latency budget is fifty milliseconds so embeddings are cached and drift in "
    "click rates is monitored"
).split()


def booking(host, guest, *, kind="ml_system_design") -> Booking:
    start = timezone.now() - dt.timedelta(days=1)
    return Booking.objects.create(
        host=host,
        guest=guest,
        kind=kind,
        prompt=Prompt.objects.filter(kind=kind).first(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )


def dialogue(n: int) -> list[SegmentIn]:
    out, t = [], 0
    for i in range(n):
        speaker = "Interviewer" if i % 4 == 0 else "Candidate"
        text = (
            f"How would you handle item {i}?"
            if speaker == "Interviewer"
            else " ".join(WORDS[(i + k) % len(WORDS)] for k in range(12))
        )
        out.append(SegmentIn(i, speaker, text, t, t + 3000, True))
        t += 3400
    return out


def transcript(
    user,
    *,
    n: int = 20,
    segments: list[SegmentIn] | None = None,
    booking_obj: Booking | None = None,
    title: str = "Feed ranking mock",
    phases: list[tuple[str, int]] = (),
    end: bool = True,
) -> Transcript:
    """A captured ML system design transcript; on a booking the owner is whichever side
    ``user`` is, speaking as "Candidate"."""
    if booking_obj is not None:
        me = "host" if booking_obj.host_id == user.pk else "guest"
        other = "guest" if me == "host" else "host"
        speakers = {"Candidate": me, "Interviewer": other}
        roles = {me: "candidate", other: "interviewer"}
    else:
        speakers = {"Candidate": "me", "Interviewer": "other"}
        roles = {"me": "candidate", "other": "interviewer"}
    t = services.transcript_create(
        user=user,
        title=title,
        kind="ml_system_design",
        question="Design the ranking of a news feed.",
        speakers=speakers,
        roles=roles,
        booking_id=booking_obj.pk if booking_obj else None,
    )
    for phase, ms in phases:
        services.phase_mark(transcript=t, phase=phase, at_ms=ms)
    rows = segments if segments is not None else dialogue(n)
    for i in range(0, len(rows), 500):
        services.segment_batch_ingest(transcript=t, segments=rows[i : i + 500])
    if end:
        services.transcript_end(transcript=t)
        services.transcript_analyse(transcript_id=t.pk)
    t.refresh_from_db()
    return t


def bulk_transcript(user, n: int) -> Transcript:
    """A large ended transcript built with bulk_create (for query-count tests)."""
    t = services.transcript_create(
        user=user,
        title=f"{n} segments",
        kind="ml_system_design",
        speakers={"Candidate": "me", "Interviewer": "other"},
        roles={"me": "candidate", "other": "interviewer"},
    )
    Segment.objects.bulk_create(
        [
            Segment(
                transcript=t,
                user=user,
                seq=s.seq,
                speaker=s.speaker,
                text=s.text,
                start_ms=s.start_ms,
                end_ms=s.end_ms,
            )
            for s in dialogue(n)
        ],
        batch_size=1000,
    )
    Transcript.objects.filter(pk=t.pk).update(
        segment_count=n, final_count=n, max_seq=n - 1, contiguous_seq=n - 1
    )
    services.transcript_end(transcript=t)
    services.transcript_analyse(transcript_id=t.pk)
    t.refresh_from_db()
    return t
