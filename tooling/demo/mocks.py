"""Demo history for one user: solo mocks over the past days, scores improving with practice."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from prep.mocks import services
from prep.mocks.models import Prompt, Rubric

NOTE_LINES = {
    "framing": "Clarified users, scale and the business goal; chose the ML formulation.",
    "metrics": "Offline PR-AUC / NDCG; online metric with a guardrail.",
    "data": "Labels from implicit feedback, delayed; leakage-free split by time.",
    "model": "Heuristic baseline, then GBDT; two-tower retrieval for candidates.",
    "serving": "100 ms budget: retrieval 30, ranking 50, rest 20. Feature store.",
    "monitoring": "Input drift (PSI), score distribution, delayed-label AUC; alerts.",
    "iteration": "Error analysis by segment, then A/B test the next feature set.",
}


def seed(user, *, days: int, rng: random.Random) -> str:
    """Create completed solo mocks spread over the last ``days`` days (oldest scores lowest)."""
    rubrics = {r.kind: r for r in Rubric.objects.all()}
    prompts = list(Prompt.objects.active())
    if not prompts or not rubrics:
        return "no prompts loaded; run load_content first"
    plan = [("ml_system_design", 4), ("coding", 2), ("behavioral", 1), ("business_case", 1)]
    now = timezone.now()
    made = 0
    for kind, count in plan:
        pool = [p for p in prompts if p.kind == kind]
        if not pool or kind not in rubrics:
            continue
        for i in range(count):
            prompt = rng.choice(pool)
            start = now - dt.timedelta(days=max(days - 1, 1) * (count - i) / (count + 1))
            start = start.replace(hour=18, minute=rng.randrange(0, 50))
            mock = services.solo_mock_start(user=user, prompt=prompt, now=start)
            at = start
            for index, phase in enumerate(mock.phases):
                services.phase_note_save(
                    mock=mock, phase=phase["slug"], text=NOTE_LINES.get(phase["slug"], "")
                )
                at += dt.timedelta(minutes=mock.minutes[phase["slug"]] + rng.randint(-2, 3))
                mock = services.solo_mock_advance(mock=mock, from_index=index, now=at)
            base = 1.6 + 2.0 * (i + 1) / count
            scores = {
                d["slug"]: max(1, min(4, round(base + rng.uniform(-0.8, 0.8))))
                for d in rubrics[kind].dimensions
            }
            checklist = [j for j in range(len(prompt.checklist)) if rng.random() < base / 4]
            services.solo_mock_complete(
                mock=mock,
                scores=scores,
                comments={},
                notes="Demo mock: timing was tight in the model phase.",
                checklist_covered=checklist,
                now=at + dt.timedelta(minutes=5),
            )
            made += 1
    return f"{made} completed solo mocks"
