"""Demo history for one user: an ML system design mock captured by the overlay, ended."""

from __future__ import annotations

import random

from prep.capture import services
from prep.transcripts import services as transcript_services
from prep.transcripts.services import SegmentIn

DIALOGUE = [
    ("framing", "Interviewer", "Let's design the ranking for a social news feed."),
    ("framing", "Candidate", "Who are the users and what should the feed optimise for?"),
    (
        "framing",
        "Interviewer",
        "Say fifty million daily users; we care about long-term engagement.",
    ),
    ("framing", "Candidate", "So I'll rank candidate posts by predicted meaningful interactions."),
    (
        "metrics",
        "Candidate",
        "Offline I'd use NDCG at ten, online sessions per user as the north star.",
    ),
    ("metrics", "Candidate", "With a guardrail on hides and reports, so clickbait doesn't win."),
    ("data", "Candidate", "Labels come from implicit feedback: dwell, likes, comments, shares."),
    ("data", "Interviewer", "How do you avoid leakage?"),
    ("data", "Candidate", "Split by time and compute features as of the impression timestamp."),
    (
        "model",
        "Candidate",
        "Two-tower retrieval for candidates, then a GBDT ranker as the baseline.",
    ),
    ("model", "Candidate", "Later a multi-task network predicting each interaction type."),
    (
        "serving",
        "Candidate",
        "The budget is about a hundred milliseconds: retrieval thirty, ranking fifty.",
    ),
    ("serving", "Candidate", "Embeddings are precomputed; features come from an online store."),
    (
        "monitoring",
        "Candidate",
        "I'd watch input drift, the score distribution and delayed-label AUC.",
    ),
    (
        "iteration",
        "Candidate",
        "Then error analysis by user segment and an A/B test of the next features.",
    ),
]


def seed(user, *, days: int, rng: random.Random) -> str:
    session, _ = services.capture_session_create(
        user=user,
        title="Feed ranking mock (captured)",
        kind="ml_system_design",
        question="Design the ranking of a social news feed.",
        speakers={"Interviewer": "other", "Candidate": "me"},
        roles={"me": "candidate", "other": "interviewer"},
    )
    transcript = session.transcript
    t, phase = 0, None
    segments = []
    for seq, (this_phase, speaker, text) in enumerate(DIALOGUE):
        if this_phase != phase:
            transcript_services.phase_mark(transcript=transcript, phase=this_phase, at_ms=t)
            phase = this_phase
        length = 1500 + 60 * len(text) + rng.randint(0, 800)
        segments.append(SegmentIn(seq, speaker, text, t, t + length, True))
        t += length + rng.randint(200, 900)
    for kind, text, at in [
        ("assumption", "50M daily users", 9000),
        ("metric", "NDCG@10 offline; sessions per user online", 20000),
        ("constraint", "About 100 ms end to end", 60000),
    ]:
        transcript_services.pin_add(transcript=transcript, kind=kind, text=text, at_ms=at)
    transcript_services.segment_batch_ingest(transcript=transcript, segments=segments)
    services.capture_session_end(session=session)
    transcript_services.transcript_analyse(transcript_id=transcript.pk)
    return f"1 captured mock with {len(segments)} segments"
