"""Synthetic transcripts for the client tests and the bench."""

from __future__ import annotations

import random

WORDS = (
    "we could rank candidates with a two tower model then rerank with features like dwell time "
    "freshness and author affinity the latency budget is fifty milliseconds at p99 so the "
    "heavy model runs offline and we cache embeddings monitoring covers drift in click rates"
).split()


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, frac = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{frac:03d}"


def cues(n: int, *, seed: int = 1) -> list[tuple[str, str, int, int]]:
    """n (speaker, text, start_ms, end_ms), each text unique."""
    rng = random.Random(seed)
    out, t = [], 0
    for i in range(n):
        speaker = "Interviewer" if i % 3 == 0 else "Candidate"
        text = f"{i}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14)))
        length = rng.randint(800, 4000)
        out.append((speaker, text, t, t + length))
        t += length + rng.randint(0, 400)
    return out


def vtt(n: int, *, seed: int = 1) -> str:
    lines = ["WEBVTT", ""]
    for i, (speaker, text, start, end) in enumerate(cues(n, seed=seed)):
        lines += [str(i + 1), f"{_stamp(start, '.')} --> {_stamp(end, '.')}"]
        lines += [f"<v {speaker}>{text}</v>", ""]
    return "\n".join(lines)


def srt(n: int, *, seed: int = 1) -> str:
    lines = []
    for i, (speaker, text, start, end) in enumerate(cues(n, seed=seed)):
        lines += [str(i + 1), f"{_stamp(start, ',')} --> {_stamp(end, ',')}"]
        lines += [f"{speaker}: {text}", ""]
    return "\n".join(lines)
