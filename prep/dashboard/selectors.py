"""The today queue: one list of everything due, ordered by what matters most before the
interview, each entry with the reason it is there.

Order (lower rank first): a booked mock today; overdue plan items; flashcards due;
re-solves due; today's plan items; weak rubric dimensions; later booked mocks. With a week
or less to the interview, weak rubric dimensions move up before new plan work, because
fixing a weak dimension is then worth more than starting something new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from curriculum import selectors as plan_selectors
from curriculum.models import Plan
from prep.booking import selectors as booking_selectors
from prep.drills import selectors as drills_selectors
from prep.flashcards import selectors as flashcards_selectors
from prep.judge import selectors as judge_selectors
from prep.lib.localtime import local_day
from prep.mocks import selectors as mocks_selectors

from . import readiness

# What to practise for a weak dimension: a link and a label per rubric dimension.
PRACTICE = {
    "framing": (
        "mocks:prompt_list",
        "kind=ml_system_design",
        "Run a design mock and spend the first 8 minutes on framing",
    ),
    "metrics": (
        "flashcards:review",
        "",
        "Review the trade-off cards on metrics, then a design mock",
    ),
    "data": (
        "mocks:prompt_list",
        "kind=ml_system_design",
        "Practise the data phase: sources, labels, leakage",
    ),
    "model": ("flashcards:review", "", "Review model-choice trade-offs"),
    "serving": (
        "mocks:prompt_list",
        "kind=ml_system_design",
        "Practise training-vs-serving latency in a design mock",
    ),
    "monitoring": (
        "mocks:prompt_list",
        "kind=ml_system_design",
        "Practise drift and monitoring: what you alert on and why",
    ),
    "iteration": (
        "mocks:prompt_list",
        "kind=ml_system_design",
        "Close a design mock with a plan to iterate",
    ),
    "communication": (
        "drills:problem_list",
        "difficulty=medium",
        "Solve a medium problem out loud",
    ),
    "problem_solving": (
        "drills:problem_list",
        "difficulty=medium",
        "Solve a medium problem in your weakest pattern",
    ),
    "technical_competency": ("drills:coverage", "", "Drill your weakest pattern"),
    "testing": ("drills:problem_list", "difficulty=medium", "Write edge-case tests before coding"),
}


@dataclass
class Entry:
    kind: str  # plan | cards | resolve | weak | mock
    title: str
    reason: str
    url: str
    rank: int
    detail: str = ""
    item: object = None  # a curriculum ItemView for plan entries
    extra: dict = field(default_factory=dict)


def _url(name: str, query: str = "") -> str:
    url = reverse(name)
    return f"{url}?{query}" if query else url


def today_queue(
    user,
    *,
    plan: Plan | None,
    tz,
    now: dt.datetime,
    items: list | None = None,
    cards: flashcards_selectors.CardFigures | None = None,
    scores: mocks_selectors.ReceivedScores | None = None,
    drills: drills_selectors.Figures | None = None,
    judge: judge_selectors.Figures | None = None,
) -> list[Entry]:
    """The today list. ``items`` (the plan's items due), ``cards``, ``scores`` and the
    re-solve figures of ``drills`` and ``judge`` are what the page has read already
    (``today_page``), each asked of its app here when not given."""
    today = local_day(tz, now).date
    days_left = (plan.interview - today).days if plan else 99
    close = days_left <= 7
    entries: list[Entry] = []

    if plan is not None:
        if items is None:
            items = plan_selectors.items_due(plan, today=today)
        for view in items:
            overdue = view.item.date < today
            entries.append(
                Entry(
                    kind="plan",
                    title=view.item.module.title,
                    reason=(
                        f"Overdue since {view.item.date:%a %-d %b}: the plan rolls it forward tonight"
                        if overdue
                        else f"Planned for today · {view.item.minutes} min of your {view.item.module.area_name} work"
                    ),
                    url=view.url,
                    rank=20 if overdue else (60 if close else 50),
                    item=view,
                )
            )

    due = cards.due if cards is not None else flashcards_selectors.due_count(user, now=now, tz=tz)
    if due:
        entries.append(
            Entry(
                kind="cards",
                title=f"{due} flashcard{'s' if due != 1 else ''} due",
                reason="Reviews due today keep what you learned; skipping them costs more tomorrow",
                url=_url("flashcards:review"),
                rank=30,
                extra={"count": due},
            )
        )

    drills = drills or drills_selectors.dashboard_figures(user, now=now, tz=tz)
    resolve_count = drills.due_count
    if resolve_count:
        names = ", ".join(title for title, _ in drills.due)
        entries.append(
            Entry(
                kind="resolve",
                title=f"{resolve_count} problem{'s' if resolve_count != 1 else ''} to re-solve",
                reason=f"Not solved cleanly last time and due again: {names}",
                url=_url("drills:resolve_list"),
                rank=40,
                extra={"count": resolve_count},
            )
        )

    judge = judge or judge_selectors.dashboard_figures(user, now=now, tz=tz)
    if judge.due_count:
        names = ", ".join(title for title, _ in judge.due)
        count = judge.due_count
        entries.append(
            Entry(
                kind="resolve",
                title=f"{count} ML coding problem{'s' if count != 1 else ''} to re-solve",
                reason=f"Failed or solved with help last time and due again: {names}",
                url=reverse("judge:problem_detail", args=[judge.due[0][1]]),
                rank=40,
                extra={"count": count},
            )
        )

    for row in mocks_selectors.weak_dimensions(user=user, now=now, received=scores):
        name, query, action = PRACTICE.get(
            row["dimension"], ("mocks:prompt_list", f"kind={row['feedback__kind']}", "Run a mock")
        )
        label = row["dimension"].replace("_", " ")
        entries.append(
            Entry(
                kind="weak",
                title=f"Weak in {label}: {action.lower()}",
                reason=(
                    f"Scored {row['mean']:.1f} of 4 on {label} in your last "
                    f"{row['feedback__kind'].replace('_', ' ')} mocks"
                ),
                url=_url(name, query),
                rank=45 if close else 70,
                extra={"dimension": row["dimension"]},
            )
        )

    for booking in booking_selectors.upcoming_times_for(user, limit=3, now=now):
        when = booking.starts_at.astimezone(tz)
        is_today = when.date() == today
        entries.append(
            Entry(
                kind="mock",
                title=f"Peer mock at {when:%H:%M} on {when:%a %-d %b}",
                reason="Booked with a peer: it never moves" + (" — today" if is_today else ""),
                url=reverse("booking:detail", args=[booking.pk]),
                rank=10 if is_today else 80,
                extra={
                    "meeting_url": booking.meeting_url,
                    "capture_url": f"{reverse('capture:index')}?booking={booking.pk}",
                },
            )
        )
    entries.sort(key=lambda e: e.rank)
    return entries


def today_page(user, *, role: str, plan: Plan | None, tz, now: dt.datetime) -> dict:
    """Everything the today page shows but the profile. What the today list and readiness
    both ask — the plan's pending items (due now, and the next day with work), the cards'
    figures, the rubric scores received, the re-solves and coding evidence of drills and ML
    coding — is read once here and handed to both."""
    day = local_day(tz, now).date
    items, upcoming = plan_selectors.items_due_and_next(plan, today=day) if plan else ([], None)
    cards = flashcards_selectors.card_figures(user, now=now, tz=tz)
    scores = mocks_selectors.received_scores(
        user=user, now=now, kinds=readiness.MOCK_KIND_FOR_AREA.values()
    )
    drills = drills_selectors.dashboard_figures(
        user, now=now, tz=tz, recent=readiness.RECENT_ATTEMPTS
    )
    judge = judge_selectors.dashboard_figures(
        user, now=now, tz=tz, recent=readiness.RECENT_ATTEMPTS
    )
    areas = readiness.readiness(
        user, role=role, plan=plan, now=now, cards=cards, scores=scores, drills=drills, judge=judge
    )
    entries = today_queue(
        user,
        plan=plan,
        tz=tz,
        now=now,
        items=items,
        cards=cards,
        scores=scores,
        drills=drills,
        judge=judge,
    )
    # Nothing planned today: say when the work starts (a Sunday sign-up, a rest day). Read
    # always, so the page's query count does not depend on today.
    if upcoming and (upcoming[0] == day or any(e.kind == "plan" for e in entries)):
        upcoming = None
    history = readiness.history(user, until=day)
    for area in areas:  # today's point is the live figure, stored or not
        points = [p for p in history.get(area.area, []) if p[0] != day]
        history[area.area] = [*points, (day, area.score)]
    return {
        "upcoming": upcoming,
        "today": day,
        "days_left": (plan.interview - day).days if plan else None,
        "entries": entries,
        "areas": areas,
        "weakest": min(areas, key=lambda a: a.score) if areas else None,
        "series": readiness.chart(history, until=day),
        "chart": {"w": readiness.CHART_W, "h": readiness.CHART_H},
    }
