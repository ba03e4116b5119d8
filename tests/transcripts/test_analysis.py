"""Post-processing rules, checked against a hand-labelled transcript (fixtures/)."""

from __future__ import annotations

import json

import pytest

from prep.capture.client import parse_transcript
from prep.transcripts import analysis, coverage

from .factories import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fraud():
    cues = parse_transcript(FIXTURES / "fraud_mock.vtt")
    labels = json.loads((FIXTURES / "fraud_mock.labels.json").read_text())
    rows = [(c.seq, c.speaker, c.text, c.start_ms, c.end_ms) for c in cues]
    result = analysis.analyse(
        rows,
        kind="ml_system_design",
        speakers=labels["speakers"],
        roles=labels["roles"],
        phases=[],
    )
    return rows, labels, result


def test_coverage_matches_the_hand_labels(fraud):
    _, labels, result = fraud
    got = {
        d["slug"]: {"status": d["status"], "seqs": d["seqs"]}
        for d in result["coverage"]["dimensions"]
    }
    assert got == labels["expected"]
    assert result["coverage"]["untouched"] == [
        slug for slug, e in labels["expected"].items() if e["status"] == "untouched"
    ]


def test_questions_and_silences_match_the_hand_labels(fraud):
    _, labels, result = fraud
    assert [q["seq"] for q in result["questions"]] == labels["interviewer_questions"]
    assert [s["seq"] for s in result["silences"]] == labels["long_silences_before"]
    assert all(s["ms"] >= analysis.SILENCE_MS for s in result["silences"])


def test_interviewer_words_are_not_coverage(fraud):
    rows, labels, result = fraud
    by_slug = {d["slug"]: d for d in result["coverage"]["dimensions"]}
    assert 22 not in by_slug["monitoring"]["seqs"] and by_slug["iteration"]["seqs"] == []
    # With roles unknown (labels that name no role, no map) everyone's words count: the
    # interviewer's "monitor" and "experiments" then touch monitoring and iteration.
    hidden = [(s, "A" if sp == "Interviewer" else "B", t, a, b) for s, sp, t, a, b in rows]
    result = analysis.analyse(hidden, kind="ml_system_design", speakers={}, roles={}, phases=[])
    by_slug = {d["slug"]: d for d in result["coverage"]["dimensions"]}
    assert result["roles_known"] is False
    assert 24 in by_slug["iteration"]["seqs"] and 22 in by_slug["monitoring"]["seqs"]
    assert result["questions"] == []


def test_talk_time_share_pace_and_fillers(fraud):
    rows, _, result = fraud
    speakers = {row["label"]: row for row in result["speakers"]}
    candidate = speakers["Candidate"]
    assert candidate["talk_ms"] == sum(b - a for _, sp, _, a, b in rows if sp == "Candidate")
    assert round(speakers["Candidate"]["share"] + speakers["Interviewer"]["share"]) == 100
    assert candidate["fillers"] == 4  # "um" three times, "you know" once
    assert dict(map(tuple, candidate["filler_top"])) == {"um": 3, "you know": 1}
    minutes = candidate["talk_ms"] / 60000
    assert candidate["wpm"] == round(candidate["words"] / minutes)


def test_a_swap_mark_exchanges_interviewer_and_candidate():
    rows = [
        (0, "Ana", "What metric would you use?", 0, 1000),
        (1, "Ben", "Precision at k, and recall.", 1500, 3000),
        (2, "Ben", "How would you serve it?", 10_000, 11_000),
        (3, "Ana", "Online inference with a cache for the latency budget.", 11_500, 13_000),
    ]
    result = analysis.analyse(
        rows,
        kind="ml_system_design",
        speakers={"Ana": "host", "Ben": "guest"},
        roles={"host": "interviewer", "guest": "candidate"},
        phases=[{"phase": "metrics", "ms": 0}, {"phase": "swap", "ms": 9000}],
    )
    assert [q["seq"] for q in result["questions"]] == [0, 2]
    dims = {d["slug"]: d for d in result["coverage"]["dimensions"]}
    assert dims["metrics"]["seqs"] == [1]
    assert dims["serving"]["seqs"] == [3]


def test_phases_spent_against_plan():
    rows = [(0, "A", "hello", 0, 1000), (1, "A", "bye", 600_000, 660_000)]
    result = analysis.analyse(
        rows,
        kind="ml_system_design",
        speakers={},
        roles={},
        phases=[{"phase": "framing", "ms": 0}, {"phase": "metrics", "ms": 420_000}],
        planned={"framing": 5, "metrics": 5},
    )
    framing, metrics = result["phases"]
    assert (framing["spent_ms"], framing["planned_ms"], framing["over"]) == (420_000, 300_000, True)
    assert (metrics["spent_ms"], metrics["over"]) == (240_000, False)


def test_overlapping_cues_count_once():
    assert coverage.cues_in("a binary classification problem", "framing") == [
        "classification problem"
    ]
    one = coverage.coverage([(0, "It is a binary classification problem.")])
    assert {d["slug"]: d["status"] for d in one["dimensions"]}["framing"] == "brief"


def test_analysis_is_deterministic(fraud):
    rows, labels, result = fraud
    again = analysis.analyse(
        list(reversed(rows)),
        kind="ml_system_design",
        speakers=labels["speakers"],
        roles=labels["roles"],
        phases=[],
    )
    assert again == result


def test_other_kinds_have_no_coverage(fraud):
    rows, labels, _ = fraud
    result = analysis.analyse(
        rows, kind="coding", speakers=labels["speakers"], roles=labels["roles"], phases=[]
    )
    assert result["coverage"] is None
