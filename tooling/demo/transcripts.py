"""Demo history for one user: an uploaded ML system design mock, analysed, with a highlight."""

from __future__ import annotations

import random

from prep.transcripts import services

_LINES = [
    ("Interviewer", "Design the ranking of search results for an online shop."),
    ("Candidate", "Who are the users, and is the goal revenue or conversion per search?"),
    ("Interviewer", "Conversion per search, at about two thousand queries per second."),
    ("Candidate", "Then I'd frame it as a learning to rank problem with purchases as labels."),
    ("Interviewer", "How would you measure it?"),
    ("Candidate", "NDCG at ten offline, conversion online, with a guardrail on latency."),
    ("Candidate", "Labels come from clicks and purchases; I'd correct position bias in the logs."),
    ("Interviewer", "What model?"),
    ("Candidate", "A gradient boosted ranker as the baseline, features like price and ctr."),
    ("Interviewer", "How fast?"),
    ("Candidate", "The budget is a hundred milliseconds, so features come from a cache."),
    ("Candidate", "Um, and I'd monitor drift in the query mix and retrain weekly."),
]


def _stamp(ms: int) -> str:
    minutes, rest = divmod(ms, 60_000)
    seconds, frac = divmod(rest, 1000)
    return f"00:{minutes:02d}:{seconds:02d}.{frac:03d}"


def seed(user, *, days: int, rng: random.Random) -> str:
    out, t = ["WEBVTT", ""], 0
    for speaker, text in _LINES:
        length = 1500 + 55 * len(text) + rng.randint(0, 600)
        out += [f"{_stamp(t)} --> {_stamp(t + length)}", f"<v {speaker}>{text}</v>", ""]
        t += length + rng.randint(200, 900)
    transcript = services.transcript_upload(
        user=user,
        name="search-ranking.vtt",
        data="\n".join(out).encode(),
        title="Search ranking mock (uploaded)",
        kind="ml_system_design",
    )
    services.transcript_analyse(transcript_id=transcript.pk)
    services.highlight_set(
        transcript=transcript, user=user, seq=5, note="Name the guardrail before the metric."
    )
    return f"1 uploaded transcript with {len(_LINES)} segments"
