"""Rubric coverage: which ML system design dimensions a conversation covered, and where.

How coverage is decided (the README repeats this):

1. Only the **candidate's** segments count (the speaker map and the roles of the transcript,
   with each ``swap`` phase mark exchanging them from its time on). The interviewer naming a
   topic is a question, not coverage. When no speaker's role is known, every segment counts.
2. A segment is **evidence** for a dimension when it contains one of the dimension's cue
   phrases below (case-insensitive, on word boundaries; ``*`` ends a prefix: ``monitor*``
   matches monitor, monitoring, monitored). Overlapping matches count once, for the longest
   phrase ("binary classification problem" is one cue, not two).
3. A dimension is **covered** when its evidence holds at least ``COVERED_CUES`` (2) different
   cue phrases — more than one passing word; **brief** when it holds exactly one; **untouched**
   when there is no evidence at all. Untouched dimensions are called out on the page.

Phase marks are deliberately not evidence: a mark says the interview moved on, not what
the candidate said. The cue lists are plain data so they can be read, argued with and
extended; tests/transcripts/fixtures/ holds a hand-labelled transcript they are checked
against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

COVERED_CUES = 2

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "framing": (
        "who are the users",
        "which users",
        "business goal",
        "business objective",
        "objective",
        "the goal",
        "our goal",
        "goal is",
        "clarify",
        "clarifying",
        "scope",
        "out of scope",
        "requirement*",
        "constraint*",
        "scale",
        "daily active",
        "dau",
        "use case",
        "formulate",
        "formulation",
        "frame it",
        "framing",
        "ranking problem",
        "classification problem",
        "regression problem",
        "binary classification",
        "ml problem",
        "ml task",
        "as a classification",
        "as a ranking",
        "assume",
        "assuming",
        "assumption*",
        "success looks like",
        "optimi[sz]e for",
    ),
    "metrics": (
        "metric*",
        "precision",
        "recall",
        "auc",
        "pr-auc",
        "roc",
        "ndcg",
        "mrr",
        "mean average precision",
        "f1",
        "accuracy",
        "click-through",
        "ctr",
        "conversion*",
        "north star",
        "guardrail*",
        "log loss",
        "calibrat*",
        "false positive*",
        "false negative*",
        "dollar*",
        "cost of a",
        "revenue",
        "engagement rate",
    ),
    "data": (
        "label*",
        "annotat*",
        "training data",
        "training set",
        "dataset*",
        "data source*",
        "sampl*",
        "downsampl*",
        "upsampl*",
        "oversampl*",
        "leak*",
        "imbalance*",
        "imbalanced",
        "implicit feedback",
        "explicit feedback",
        "data quality",
        "missing value*",
        "dedup*",
        "privacy",
        "pii",
        "split by time",
        "time-based split",
        "ground truth",
        "noisy",
        "chargeback*",
        "logs",
        "logged",
        "historical",
        "backfill*",
        "class ratio",
    ),
    "model": (
        "baseline",
        "logistic regression",
        "gradient boost*",
        "gbdt",
        "xgboost",
        "lightgbm",
        "neural net*",
        "deep model",
        "transformer*",
        "embedding*",
        "two-tower",
        "two tower",
        "architecture",
        "loss function",
        "cross-entropy",
        "fine-tun*",
        "cnn",
        "lstm",
        "random forest",
        "decision tree*",
        "hyperparameter*",
        "multi-task",
        "classifier",
        "ranker",
        "feature cross*",
        "regulari[sz]ation",
        "graph neural",
        "features like",
        "features such as",
        "feature engineering",
        "interpret*",
    ),
    "serving": (
        "latency",
        "millisecond*",
        "p99",
        "p95",
        "throughput",
        "qps",
        "serving",
        "serve it",
        "inference",
        "batch scoring",
        "real-time",
        "real time",
        "online scoring",
        "cache",
        "caching",
        "cached",
        "feature store",
        "precomput*",
        "skew",
        "deploy*",
        "rollout",
        "canary",
        "shadow mode",
        "distill*",
        "quantiz*",
        "gpu*",
        "endpoint",
    ),
    "monitoring": (
        "monitor*",
        "drift*",
        "alert*",
        "dashboard*",
        "retrain*",
        "degrad*",
        "distribution shift",
        "rollback",
        "roll back",
        "fallback",
        "delayed label*",
        "feedback loop*",
        "anomal*",
        "on-call",
        "observab*",
    ),
    "iteration": (
        "iterate",
        "iteration*",
        "next step*",
        "next version",
        "a/b test*",
        "ab test*",
        "experiment*",
        "error analysis",
        "v2",
        "future work",
        "roadmap",
        "ablation*",
        "try next",
        "would try",
        "improve it",
        "improvement*",
        "follow-up",
    ),
}


def _pattern(cue: str) -> str:
    prefix = cue.endswith("*")
    body = cue.rstrip("*")
    # A cue is data, not a regex, except the [sz] spelling classes.
    parts = re.split(r"(\[[a-z]+\])", body)
    escaped = "".join(p if re.fullmatch(r"\[[a-z]+\]", p) else re.escape(p) for p in parts)
    escaped = escaped.replace(r"\ ", r"[\s-]+")
    return r"(?<![\w-])" + escaped + (r"[\w-]*" if prefix else r"(?![\w-])")


@cache
def _compiled(dimension: str) -> list[tuple[str, re.Pattern]]:
    return [(cue, re.compile(_pattern(cue), re.I)) for cue in DIMENSIONS[dimension]]


def cues_in(text: str, dimension: str) -> list[str]:
    """The cue phrases of ``dimension`` that ``text`` contains.

    Overlapping matches count once, for the longest: "binary classification problem" is one
    cue ("binary classification"), not also "classification problem".
    """
    found = []
    for cue, rx in _compiled(dimension):
        for match in rx.finditer(text):
            found.append((match.end() - match.start(), match.start(), match.end(), cue))
    kept: list[tuple[int, int, str]] = []
    for _, start, end, cue in sorted(found, key=lambda f: (-f[0], f[1])):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, cue))
    cues: list[str] = []
    for _, _, cue in sorted(kept):
        if cue not in cues:
            cues.append(cue)
    return cues


def coverage(segments: Iterable[tuple[int, str]], *, titles: dict[str, str] | None = None) -> dict:
    """Coverage of each dimension from (seq, text) of the candidate's segments.

    Returns {"dimensions": [{slug, title, status, cues, seqs}], "untouched": [slug, ...]}
    with status "covered" | "brief" | "untouched" (rules in the module docstring).
    """
    rows = list(segments)
    result = []
    for slug in DIMENSIONS:
        seqs: list[int] = []
        cues: list[str] = []
        for seq, text in rows:
            found = cues_in(text, slug)
            if found:
                seqs.append(seq)
                cues.extend(c for c in found if c not in cues)
        if len(cues) >= COVERED_CUES:
            status = "covered"
        elif cues:
            status = "brief"
        else:
            status = "untouched"
        result.append(
            {
                "slug": slug,
                "title": (titles or {}).get(slug, slug.capitalize()),
                "status": status,
                "cues": cues,
                "seqs": seqs,
            }
        )
    return {
        "dimensions": result,
        "untouched": [row["slug"] for row in result if row["status"] == "untouched"],
    }
