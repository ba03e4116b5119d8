"""Reads of the flashcards app: the review queue, counts, browsing and stats.

Every function here runs a fixed number of queries whatever the size of the
user's collection (the tests pin them at two sizes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, FilteredRelation, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import MATURE_DAYS, Card, CardState, Deck, ReviewLog, StudySettings

S = CardState.State
# Anki's "learn ahead limit": when nothing else is due, learning cards due this soon are shown.
LEARN_AHEAD = dt.timedelta(minutes=20)


# --- Days in the user's timezone ---------------------------------------------------------------
def day_bounds(tz, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (UTC) of the user's local day that contains ``now``."""
    local = now.astimezone(tz)
    start = dt.datetime.combine(local.date(), dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class Scope:
    """Which cards a review session draws from: a deck (optional) and a topic (optional)."""

    deck: Deck | None = None
    topic: str = ""

    def states(self, user):
        qs = CardState.objects.filter(user=user, suspended=False)
        if self.deck is not None:
            qs = qs.filter(deck=self.deck)
        if self.topic:
            qs = qs.filter(card__topic=self.topic)
        return qs

    def query(self) -> str:
        parts = []
        if self.deck is not None:
            parts.append(f"deck={self.deck.slug}")
        if self.topic:
            parts.append(f"topic={self.topic}")
        return "&".join(parts)


def deck_for_slug(user, slug: str) -> Deck | None:
    """A catalogue deck or one of the user's own, by slug (None when unknown)."""
    if not slug:
        return None
    return (
        Deck.objects.filter(Q(owner=None) | Q(owner=user), slug=slug).order_by("owner_id").first()
    )


# --- The queue --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueCounts:
    new: int  # new cards still allowed today
    learning: int  # learning/relearning cards due now
    review: int  # review cards due today
    learn_ahead: int  # learning cards due within the learn-ahead limit
    new_available: int  # new cards in scope, ignoring the daily limit

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def new_introduced(user, day_start: dt.datetime) -> int:
    """New cards the user has seen for the first time today (any deck)."""
    return ReviewLog.objects.filter(user=user, reviewed_at__gte=day_start, prev_state=S.NEW).count()


def queue_counts(
    user, scope: Scope, *, study: StudySettings, now: dt.datetime, day: tuple
) -> QueueCounts:
    day_start, day_end = day
    learning_states = [S.LEARNING, S.RELEARNING]
    # Only new cards and cards due before the end of the day can count: most of a large
    # collection is review cards due later, which the (partial) queue index skips.
    horizon = max(day_end, now + LEARN_AHEAD)
    candidates = scope.states(user).filter(Q(state=S.NEW) | Q(due__lt=horizon))
    agg = candidates.aggregate(
        new=Count("pk", filter=Q(state=S.NEW)),
        learning=Count("pk", filter=Q(state__in=learning_states, due__lte=now)),
        learn_ahead=Count("pk", filter=Q(state__in=learning_states, due__lte=now + LEARN_AHEAD)),
        review=Count("pk", filter=Q(state=S.REVIEW, due__lt=day_end)),
    )
    allowed = max(0, study.new_per_day - new_introduced(user, day_start))
    return QueueCounts(
        new=min(allowed, agg["new"]),
        learning=agg["learning"],
        review=agg["review"],
        learn_ahead=agg["learn_ahead"],
        new_available=agg["new"],
    )


def next_state(
    user, scope: Scope, counts: QueueCounts, *, now: dt.datetime, day_end: dt.datetime
) -> CardState | None:
    """The next card to show: due learning and review cards first (by due), then new cards,
    then learning cards within the learn-ahead limit. One query."""
    qs = scope.states(user)
    if counts.learning or counts.review:
        qs = qs.filter(
            Q(state__in=[S.LEARNING, S.RELEARNING], due__lte=now)
            | Q(state=S.REVIEW, due__lt=day_end)
        ).order_by("due", "pk")
    elif counts.new:
        qs = qs.filter(state=S.NEW).order_by("position", "pk")
    elif counts.learn_ahead:
        qs = qs.filter(state__in=[S.LEARNING, S.RELEARNING], due__lte=now + LEARN_AHEAD).order_by(
            "due", "pk"
        )
    else:
        return None
    # Choose the row on the index alone, then join its card and deck (one statement).
    chosen = qs.values("pk")[:1]
    return CardState.objects.filter(pk__in=Subquery(chosen)).select_related("card", "deck").first()


def next_learning_due(user, scope: Scope) -> dt.datetime | None:
    state = (
        scope.states(user)
        .exclude(state=S.NEW)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    return state


@dataclass(frozen=True)
class DaySummary:
    reviews: int
    again: int
    hard: int
    good: int
    easy: int
    seconds: int
    new: int

    @property
    def correct_percent(self) -> int | None:
        if not self.reviews:
            return None
        return round(100 * (self.reviews - self.again) / self.reviews)


def day_summary(user, day_start: dt.datetime) -> DaySummary:
    agg = ReviewLog.objects.filter(user=user, reviewed_at__gte=day_start).aggregate(
        reviews=Count("pk"),
        again=Count("pk", filter=Q(rating=1)),
        hard=Count("pk", filter=Q(rating=2)),
        good=Count("pk", filter=Q(rating=3)),
        easy=Count("pk", filter=Q(rating=4)),
        new=Count("pk", filter=Q(prev_state=S.NEW)),
        ms=Sum("duration_ms"),
    )
    return DaySummary(
        reviews=agg["reviews"],
        again=agg["again"],
        hard=agg["hard"],
        good=agg["good"],
        easy=agg["easy"],
        new=agg["new"],
        seconds=(agg["ms"] or 0) // 1000,
    )


def last_review(user) -> ReviewLog | None:
    return ReviewLog.objects.filter(user=user).order_by("-pk").only("pk", "card_id").first()


# --- Home: decks with their counts ---------------------------------------------------------------------
def decks_with_counts(user, *, now: dt.datetime, day_end: dt.datetime) -> list[Deck]:
    """Catalogue decks and the user's own, each with total / new / learning / due counts."""
    mine = FilteredRelation("cards__states", condition=Q(cards__states__user=user))
    decks = (
        Deck.objects.filter(Q(owner=None) | Q(owner=user))
        .annotate(st=mine)
        .annotate(
            total=Count("st", filter=Q(st__suspended=False)),
            new=Count("st", filter=Q(st__suspended=False, st__state=S.NEW)),
            learning=Count(
                "st",
                filter=Q(
                    st__suspended=False, st__state__in=[S.LEARNING, S.RELEARNING], st__due__lte=now
                ),
            ),
            due=Count("st", filter=Q(st__suspended=False, st__state=S.REVIEW, st__due__lt=day_end)),
            suspended=Count("st", filter=Q(st__suspended=True)),
        )
        .order_by(F("owner_id").asc(nulls_first=True), "title")
    )
    return list(decks)


# --- Browse ------------------------------------------------------------------------------------------
def cards_browse(user, *, q: str = "", deck: Deck | None = None, tag: str = "", state: str = ""):
    """Cards the user can see, with the user's state fields, filtered and searched."""
    qs = (
        Card.objects.visible_to(user)
        .select_related("deck")
        .annotate(
            mine=FilteredRelation("states", condition=Q(states__user=user)),
        )
        .annotate(
            st_id=F("mine__pk"),
            st_state=F("mine__state"),
            st_due=F("mine__due"),
            st_reps=F("mine__reps"),
            st_lapses=F("mine__lapses"),
            st_suspended=F("mine__suspended"),
            st_stability=F("mine__stability"),
        )
        .order_by("deck__owner_id", "deck__title", "position", "pk")
    )
    if q:
        qs = qs.filter(Q(front__icontains=q) | Q(back__icontains=q) | Q(tags__icontains=q))
    if deck is not None:
        qs = qs.filter(deck=deck)
    if tag:
        qs = qs.filter(Q(tags__contains=f" {tag} ") | Q(topic=tag))
    if state == "suspended":
        qs = qs.filter(mine__suspended=True)
    elif state in {"new", "learning", "review", "relearning"}:
        value = {
            "new": S.NEW,
            "learning": S.LEARNING,
            "review": S.REVIEW,
            "relearning": S.RELEARNING,
        }
        qs = qs.filter(mine__state=value[state])
    return qs


def card_history(user, card: Card) -> list[ReviewLog]:
    return list(ReviewLog.objects.filter(user=user, card=card).order_by("-pk")[:50])


# --- Stats ------------------------------------------------------------------------------------------------
@dataclass
class Stats:
    future_due: list[tuple[dt.date, int]] = field(default_factory=list)
    overdue: int = 0
    reviews_per_day: list[tuple[dt.date, dict[int, int]]] = field(default_factory=list)
    retention: list[tuple[str, int, int]] = field(default_factory=list)  # label, passed, total
    by_state: dict[str, int] = field(default_factory=dict)
    avg_stability: float | None = None


def stats(user, *, tz, now: dt.datetime, deck: Deck | None = None, days: int = 30) -> Stats:
    """Anki's charts: future due, reviews per day, true retention, counts by state (4 queries)."""
    today = now.astimezone(tz).date()
    day_start, _ = day_bounds(tz, now)
    horizon_end = day_start + dt.timedelta(days=days)
    states = CardState.objects.filter(user=user)
    logs = ReviewLog.objects.filter(user=user)
    if deck is not None:
        states = states.filter(deck=deck)
        logs = logs.filter(deck=deck)
    result = Stats()

    # 1. Future due: review and learning cards due per local day for the next `days` days.
    due_rows = (
        states.filter(suspended=False, due__lt=horizon_end)
        .exclude(state=S.NEW)
        .annotate(day=TruncDate("due", tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"))
    )
    per_day: dict[dt.date, int] = {}
    for row in due_rows:
        if row["day"] < today:
            result.overdue += row["n"]
        else:
            per_day[row["day"]] = row["n"]
    result.future_due = [
        (today + dt.timedelta(days=i), per_day.get(today + dt.timedelta(days=i), 0))
        for i in range(days)
    ]

    # 2. Reviews per day over the last `days` days, by rating.
    first = day_start - dt.timedelta(days=days - 1)
    review_rows = (
        logs.filter(reviewed_at__gte=first)
        .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
        .values("day", "rating")
        .annotate(n=Count("pk"))
    )
    by_day: dict[dt.date, dict[int, int]] = {}
    for row in review_rows:
        by_day.setdefault(row["day"], {})[row["rating"]] = row["n"]
    result.reviews_per_day = [
        (d, by_day.get(d, {}))
        for d in (today - dt.timedelta(days=days - 1 - i) for i in range(days))
    ]

    # 3. True retention: reviews of mature cards in the review state (a review-state card is
    #    only due once a day, so each is the card's first review of that day); passed = not Again.
    mature = Q(prev_state=S.REVIEW, prev_interval_days__gte=MATURE_DAYS)
    windows = [
        ("Today", day_start),
        ("Yesterday", day_start - dt.timedelta(days=1)),
        ("Last 7 days", day_start - dt.timedelta(days=6)),
        ("Last 30 days", day_start - dt.timedelta(days=29)),
        ("Last year", day_start - dt.timedelta(days=364)),
    ]
    agg_args = {}
    for i, (label, start) in enumerate(windows):
        end = day_start if label == "Yesterday" else None
        window = Q(reviewed_at__gte=start) & (Q(reviewed_at__lt=end) if end else Q())
        agg_args[f"t{i}"] = Count("pk", filter=mature & window)
        agg_args[f"p{i}"] = Count("pk", filter=mature & window & ~Q(rating=1))
    agg = logs.filter(reviewed_at__gte=windows[-1][1]).aggregate(**agg_args)
    result.retention = [(label, agg[f"p{i}"], agg[f"t{i}"]) for i, (label, _) in enumerate(windows)]

    # 4. Card counts by state (mature = review cards with an interval of 21 days or more).
    live = Q(suspended=False)
    counts = states.aggregate(
        n_new=Count("pk", filter=live & Q(state=S.NEW)),
        n_learning=Count("pk", filter=live & Q(state=S.LEARNING)),
        n_relearning=Count("pk", filter=live & Q(state=S.RELEARNING)),
        n_review=Count("pk", filter=live & Q(state=S.REVIEW)),
        n_suspended=Count("pk", filter=Q(suspended=True)),
        n_mature=Count(
            "pk",
            filter=live
            & Q(state=S.REVIEW, due__gte=F("last_review") + dt.timedelta(days=MATURE_DAYS)),
        ),
        avg_stability=Avg("stability", filter=live & Q(state=S.REVIEW)),
    )
    result.avg_stability = counts.pop("avg_stability")
    result.by_state = {key.removeprefix("n_"): value for key, value in counts.items()}
    result.by_state["young"] = result.by_state["review"] - result.by_state["mature"]
    return result


def retention_percent(passed: int, total: int) -> float | None:
    return round(100 * passed / total, 1) if total else None


def now() -> dt.datetime:
    return timezone.now()
