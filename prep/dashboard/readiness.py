"""Readiness per area: how ready the user is, 0-100, from what they have actually done.

The formula (also in ARCHITECTURE.md). Each area blends the evidence it has; a part with no
evidence yet counts as 0, so readiness rises only with practice.

- coding          = 40% coverage (distinct problems solved clean or with hints, against 40
                    for ML engineers and applied scientists, 25 for research scientists)
                  + 30% recent outcomes (solved of the last 20 attempts, hints count half;
                    attempts not made yet count as not solved, so one solve is 5%, not 100%)
                  + 30% plan completion of the coding area
- ml_coding       = 40% judged problems solved (distinct, clean or with help, against 12 for
                    ML engineers, 10 for research and 6 for applied scientists)
                  + 30% recent outcomes (last 20 daily attempts; with help counts half)
                  + 30% plan completion of the area
- ml_fundamentals = 50% flashcard retention (share of the last 30 days' review answers that
                    were not "Again", for cards already past their first review)
                  + 20% deck coverage (cards reviewed at least once / cards in the user's decks)
                  + 30% plan completion of the area
- ml_system_design, behavioral, research, business_case
                  = 60% rubric scores of the last 5 mocks of the matching kind (self and peer;
                    a peer's score weighs twice; 1 → 0%, 4 → 100%)
                  + 40% plan completion of the area

Plan completion = minutes done / minutes planned in that area (curriculum).
Dashboard owns this formula and only composes the apps' public selectors (what counts as
solved, a retained answer, a mock's score are the apps' own rules); curriculum imports no app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from curriculum import selectors as plan_selectors
from curriculum.models import Plan
from curriculum.roles import AREA_NAMES
from prep.drills import selectors as drills_selectors
from prep.flashcards import selectors as flashcards_selectors
from prep.judge import selectors as judge_selectors
from prep.mocks import selectors as mocks_selectors

from .models import ReadinessSnapshot

MOCK_KIND_FOR_AREA = {
    "ml_system_design": "ml_system_design",
    "behavioral": "behavioral",
    "research": "research_discussion",
    "business_case": "business_case",
}
ROLE_AREAS = {
    "research": (
        "coding",
        "ml_coding",
        "ml_fundamentals",
        "ml_system_design",
        "behavioral",
        "research",
    ),
    "mle": ("coding", "ml_coding", "ml_fundamentals", "ml_system_design", "behavioral"),
    "applied": (
        "coding",
        "ml_coding",
        "ml_fundamentals",
        "ml_system_design",
        "behavioral",
        "business_case",
    ),
}
ML_CODING_TARGET = {"research": 10, "mle": 12, "applied": 6}
CODING_TARGET = {"research": 25, "mle": 40, "applied": 40}
RECENT_ATTEMPTS = 20
RECENT_MOCKS = 5


@dataclass(frozen=True)
class AreaReadiness:
    area: str
    name: str
    score: int
    parts: tuple[tuple[str, int], ...]  # (what, percent) that made the score
    advice: str
    formula: str = ""  # how the parts add up, said on the page

    @property
    def parts_text(self) -> str:
        """The parts as the page says them: "card retention 80% · deck coverage 40% · …"
        (joined here rather than by a template loop: the page shows it for every area)."""
        return " · ".join(f"{label} {value}%" for label, value in self.parts)


def _plan_completion(plan: Plan | None) -> dict[str, float]:
    if plan is None:
        return {}
    return {
        a.area: a.done_minutes / a.total_minutes
        for a in plan_selectors.area_progress(plan)
        if a.total_minutes
    }


def _practice(solved: int, recent: list[str], target: int) -> tuple[float, float]:
    """(distinct problems solved against ``target``, the outcomes of the last
    RECENT_ATTEMPTS attempts: clean counts 1, with help a half). Out of the last
    RECENT_ATTEMPTS, not of the attempts made so far: one clean solve is one of twenty, not
    a perfect record."""
    outcome = (
        sum(1.0 if o == "clean" else 0.5 if o == "hints" else 0.0 for o in recent[:RECENT_ATTEMPTS])
        / RECENT_ATTEMPTS
    )
    return min(1.0, solved / target), outcome


def _coding(
    user, role: str, figures: drills_selectors.Figures | None = None
) -> tuple[float, float]:
    if figures is None:
        solved, recent = drills_selectors.coding_evidence(user, recent=RECENT_ATTEMPTS)
    else:
        solved, recent = figures.solved, figures.recent
    return _practice(solved, recent, CODING_TARGET.get(role, 40))


def _ml_coding(
    user, role: str, figures: judge_selectors.Figures | None = None
) -> tuple[float, float]:
    """Judged ML coding: distinct problems solved (clean or with help) against the role's
    target, and the outcomes of the last 20 daily attempts, as for coding."""
    if figures is None:
        solved, recent = judge_selectors.ml_coding_evidence(user, recent=RECENT_ATTEMPTS)
    else:
        solved, recent = figures.solved, figures.recent
    return _practice(solved, recent, ML_CODING_TARGET.get(role, 10))


def _mock_scores(
    user, now: dt.datetime, scores: mocks_selectors.ReceivedScores | None = None
) -> dict[str, float]:
    """Weighted mean rubric score (0..1) of the last mocks per kind (a peer's weighs twice)."""
    out: dict[str, float] = {}
    recent = mocks_selectors.recent_scores(
        user=user,
        kinds=MOCK_KIND_FOR_AREA.values(),
        per_kind=RECENT_MOCKS,
        now=now,
        received=scores,
    )
    for kind, rows in recent.items():
        weighted = [(mean, 2 if by_peer else 1) for mean, by_peer in rows]
        weight = sum(w for _, w in weighted)
        if weight:
            out[kind] = sum((m - 1) / 3 * w for m, w in weighted) / weight
    return out


ADVICE = {
    "coding": "Solve medium problems in your weakest pattern (Drills → Coverage).",
    "ml_fundamentals": "Review the trade-off deck until the due count is zero.",
    "ml_coding": "Get a NumPy problem accepted without hints (ML coding), then re-solve the due ones.",
    "ml_system_design": "Run a solo ML system design mock, then book a peer.",
    "behavioral": "Write and rehearse two STAR stories, then run a behavioural mock.",
    "research": "Prepare a paper deep dive and run a research discussion mock.",
    "business_case": "Run a business-case mock on a product problem.",
}


def readiness(
    user,
    *,
    role: str,
    plan: Plan | None,
    now: dt.datetime,
    cards: flashcards_selectors.CardFigures | None = None,
    scores: mocks_selectors.ReceivedScores | None = None,
    drills: drills_selectors.Figures | None = None,
    judge: judge_selectors.Figures | None = None,
) -> list[AreaReadiness]:
    """Each of the role's areas with its score and parts. ``cards``, ``scores`` and the
    ``drills`` and ``judge`` figures (with ``RECENT_ATTEMPTS`` outcomes) are what the today
    page has read already (``selectors.today_page``, with ``MOCK_KIND_FOR_AREA``'s kinds),
    asked of their apps here when not given."""
    completion = _plan_completion(plan)
    coverage, outcome = _coding(user, role, drills)
    ml_coverage, ml_outcome = _ml_coding(user, role, judge)
    if cards is None:
        retention, deck_coverage = flashcards_selectors.retention_and_coverage(user, now=now)
    else:
        retention, deck_coverage = cards.retention, cards.coverage
    mocks = _mock_scores(user, now, scores)
    out = []
    for area in ROLE_AREAS.get(role, ROLE_AREAS["mle"]):
        done = completion.get(area, 0.0)
        if area == "coding":
            parts = (("problems covered", coverage, 0.4), ("recent outcomes", outcome, 0.3))
        elif area == "ml_coding":
            parts = (("problems solved", ml_coverage, 0.4), ("recent outcomes", ml_outcome, 0.3))
        elif area == "ml_fundamentals":
            parts = (("card retention", retention, 0.5), ("deck coverage", deck_coverage, 0.2))
        else:
            parts = (("mock rubric scores", mocks.get(MOCK_KIND_FOR_AREA[area], 0.0), 0.6),)
        parts = (*parts, ("plan done", done, 1 - sum(w for _, _, w in parts)))
        score = round(100 * sum(value * weight for _, value, weight in parts))
        formula = " + ".join(f"{round(100 * w)}% of {label}" for label, _, w in parts)
        if area == "coding":
            formula += (
                f" (problems covered: solved of {CODING_TARGET.get(role, 40)}; recent "
                f"outcomes: solved of your last {RECENT_ATTEMPTS} attempts)"
            )
        out.append(
            AreaReadiness(
                area=area,
                name=AREA_NAMES[area],
                score=max(0, min(100, score)),
                parts=tuple((label, round(100 * value)) for label, value, _ in parts),
                advice=ADVICE[area],
                formula=formula,
            )
        )
    return out


def history(user, *, until: dt.date, days: int = 60) -> dict[str, list[tuple[dt.date, int]]]:
    rows = (
        ReadinessSnapshot.objects.filter(
            user=user, date__gt=until - dt.timedelta(days=days), date__lte=until
        )
        .order_by("date")
        .values_list("area", "date", "score")
    )
    out: dict[str, list[tuple[dt.date, int]]] = {}
    for area, date, score in rows:
        out.setdefault(area, []).append((date, score))
    return out


@dataclass(frozen=True)
class Series:
    area: str
    name: str
    points: str  # SVG polyline points
    last: int


CHART_W, CHART_H, PAD = 600, 160, 10


def chart(
    history_rows: dict[str, list[tuple[dt.date, int]]], *, until: dt.date, days: int = 60
) -> list[Series]:
    """Polylines for an SVG chart: x = day in the window, y = score (0 at the bottom)."""
    start = until - dt.timedelta(days=days - 1)
    out = []
    for area, rows in history_rows.items():
        pts = []
        for day, score in rows:
            x = PAD + (CHART_W - 2 * PAD) * (day - start).days / max(1, days - 1)
            y = PAD + (CHART_H - 2 * PAD) * (1 - score / 100)
            pts.append(f"{x:.1f},{y:.1f}")
        if len(pts) == 1:  # one day: draw a short flat segment so it is visible
            x, y = pts[0].split(",")
            pts.append(f"{float(x) + 4:.1f},{y}")
        out.append(
            Series(
                area=area, name=AREA_NAMES.get(area, area), points=" ".join(pts), last=rows[-1][1]
            )
        )
    return out
