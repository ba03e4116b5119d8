"""Post-processing of a transcript: plain functions over its segments, no database.

``analyse`` turns (seq, speaker, text, start_ms, end_ms) rows plus the speaker map, roles and
phase marks into the dict stored on ``Transcript.analysis``. The same input always gives the
same output, so running post-processing twice stores the same result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from . import coverage as coverage_rules
from .models import SWAP

VERSION = 1
#: A gap between two segments at least this long is a long silence.
SILENCE_MS = 5000
#: Filler words and phrases counted per speaker (whole words, case-insensitive).
FILLERS = (
    "um",
    "uh",
    "erm",
    "er",
    "uhm",
    "hmm",
    "mm",
    "you know",
    "i mean",
    "sort of",
    "kind of",
    "basically",
    "actually",
    "literally",
)
_FILLER_RX = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in FILLERS) + r")(?![\w'])",
    re.I,
)
_WORD_RX = re.compile(r"[\w'’-]+")
_SENTENCE_RX = re.compile(r"[^.?!]+[.?!]*")
_QUESTION_START = re.compile(
    r"^(what|how|why|when|where|which|who|whom|whose|could you|can you|would you|will you|"
    r"do you|did you|does|is there|are there|should|walk me|tell me)\b",
    re.I,
)
_FLIP = {"interviewer": "candidate", "candidate": "interviewer"}


def base_role(label: str, speakers: dict, roles: dict) -> str:
    """The role of a speaker label before any swap: from the speaker map and roles, else from
    the label itself ("Interviewer", "Candidate: Ana"); '' when unknown."""
    who = speakers.get(label)
    if who and roles.get(who):
        return roles[who]
    lowered = label.lower()
    for role in ("interviewer", "candidate"):
        if role in lowered:
            return role
    return ""


class RoleMap:
    """Who speaks as interviewer or candidate at a given time (swap marks flip them)."""

    def __init__(self, *, speakers: dict, roles: dict, phases: Sequence[dict]):
        self.speakers, self.roles = speakers or {}, roles or {}
        self.swaps = sorted(p["ms"] for p in phases or () if p.get("phase") == SWAP)
        self._base: dict[str, str] = {}

    def role(self, label: str, at_ms: int) -> str:
        if label not in self._base:
            self._base[label] = base_role(label, self.speakers, self.roles)
        role = self._base[label]
        flips = sum(1 for ms in self.swaps if ms <= at_ms)
        return _FLIP.get(role, role) if flips % 2 else role

    def known(self, labels) -> bool:
        return any(self.role(label, 0) for label in labels)


def question_text(text: str) -> str:
    """The question sentences of ``text`` ('' when it asks nothing)."""
    asked = []
    for sentence in _SENTENCE_RX.findall(text):
        sentence = sentence.strip()
        if sentence and (sentence.endswith("?") or _QUESTION_START.match(sentence)):
            asked.append(sentence)
    return " ".join(asked)


def phase_rows(phases: Sequence[dict], *, end_ms: int, planned: dict[str, int]) -> list[dict]:
    """The phases in time order with time spent (until the next mark, the last until the end
    of the conversation) against the planned minutes."""
    marks = [p for p in sorted(phases or (), key=lambda p: p["ms"]) if p["phase"] != SWAP]
    rows = []
    for i, mark in enumerate(marks):
        stop = marks[i + 1]["ms"] if i + 1 < len(marks) else max(end_ms, mark["ms"])
        plan_ms = int(planned.get(mark["phase"], 0)) * 60_000
        spent = max(stop - mark["ms"], 0)
        rows.append(
            {
                "phase": mark["phase"],
                "start_ms": mark["ms"],
                "end_ms": stop,
                "spent_ms": spent,
                "planned_ms": plan_ms,
                "over": bool(plan_ms) and spent > plan_ms,
            }
        )
    return rows


def analyse(
    rows: Sequence[tuple],
    *,
    kind: str,
    speakers: dict,
    roles: dict,
    phases: Sequence[dict],
    planned: dict[str, int] | None = None,
    titles: dict[str, str] | None = None,
) -> dict:
    """Everything the review page shows about a conversation.

    ``rows`` are (seq, speaker, text, start_ms, end_ms) in seq order. Talk time is the sum of a
    speaker's segment durations, share is their part of all talk time, pace is words per
    minute of their own talk time; questions are the interviewer's question sentences
    (roles after swaps); a silence is a gap of at least SILENCE_MS between the end of
    everything said so far and the next segment; coverage follows ``coverage.py``.
    """
    rows = sorted(rows, key=lambda r: r[0])
    role_map = RoleMap(speakers=speakers, roles=roles, phases=phases)
    talk: Counter = Counter()
    words: Counter = Counter()
    fillers: dict[str, Counter] = {}
    order: list[str] = []
    questions, silences, candidate_rows = [], [], []
    roles_known = role_map.known({r[1] for r in rows})
    last_end, last_seq = None, None
    for seq, speaker, text, start, end in rows:
        if speaker not in fillers:
            fillers[speaker] = Counter()
            order.append(speaker)
        talk[speaker] += max(end - start, 0)
        words[speaker] += len(_WORD_RX.findall(text))
        for match in _FILLER_RX.findall(text):
            fillers[speaker][" ".join(match.lower().split())] += 1
        role = role_map.role(speaker, start)
        if role == "interviewer":
            asked = question_text(text)
            if asked:
                questions.append({"seq": seq, "speaker": speaker, "text": asked})
        if role == "candidate" or not roles_known:
            candidate_rows.append((seq, text))
        if last_end is not None and start - last_end >= SILENCE_MS:
            silences.append(
                {"after_seq": last_seq, "seq": seq, "at_ms": last_end, "ms": start - last_end}
            )
        last_end = end if last_end is None else max(last_end, end)
        last_seq = seq
    total_talk = sum(talk.values())
    speaker_rows = []
    for label in order:
        minutes = talk[label] / 60_000
        count = sum(fillers[label].values())
        speaker_rows.append(
            {
                "label": label,
                "participant": (speakers or {}).get(label, ""),
                "role": role_map.role(label, 0),
                "segments": sum(1 for r in rows if r[1] == label),
                "talk_ms": talk[label],
                "share": round(100 * talk[label] / total_talk, 1) if total_talk else 0.0,
                "words": words[label],
                "wpm": round(words[label] / minutes) if minutes else 0,
                "fillers": count,
                "fillers_per_100": round(100 * count / words[label], 1) if words[label] else 0.0,
                "filler_top": sorted(fillers[label].items(), key=lambda kv: (-kv[1], kv[0]))[:5],
            }
        )
    end_ms = max((r[4] for r in rows), default=0)
    start_ms = min((r[3] for r in rows), default=0)
    result = {
        "version": VERSION,
        "segments": len(rows),
        "duration_ms": max(end_ms - start_ms, 0),
        "roles_known": roles_known,
        "speakers": speaker_rows,
        "questions": questions,
        "silences": silences,
        "silence_ms": SILENCE_MS,
        "phases": phase_rows(phases, end_ms=end_ms, planned=planned or {}),
        "coverage": None,
    }
    if kind == "ml_system_design":
        result["coverage"] = coverage_rules.coverage(candidate_rows, titles=titles)
    return result
