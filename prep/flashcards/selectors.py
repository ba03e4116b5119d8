"""Reads of the flashcards app: the review queue, counts, browsing and stats.

Every function here runs a fixed number of queries whatever the size of the
user's collection (the tests pin them at two sizes).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    F,
    FilteredRelation,
    Q,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from prep.lib.localtime import local_day
from prep.memory.fit import retrievability
from prep.memory.models import Kind, MemoryProfile
from prep.memory.parameters import as_parameters, parameters_for

from .models import MATURE_DAYS, Card, CardState, Deck, ReviewLog, StudySettings

S = CardState.State
# Anki's "learn ahead limit": when nothing else is due, learning cards due this soon are shown.
LEARN_AHEAD = dt.timedelta(minutes=20)


# --- Days in the user's timezone ---------------------------------------------------------------
def day_bounds(tz, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (UTC) of the user's local day that contains ``now``."""
    day = local_day(tz, now)
    return day.start.astimezone(dt.UTC), day.end.astimezone(dt.UTC)


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


# Rows read with a plain cursor become model instances through the database's converters
# (on SQLite, datetimes come back as text and booleans as integers), as the ORM would.
STATE_FIELDS = [f.attname for f in CardState._meta.concrete_fields]
STATE_COLS = ", ".join(f"st.{f.column}" for f in CardState._meta.concrete_fields)


@functools.cache
def _converters(model, names: tuple[str, ...], vendor: str) -> tuple:
    """Per column, (column, the converters the ORM would apply); ``vendor`` keys the cache."""
    found = []
    for name in names:
        field = model._meta.get_field(name)
        col = field.get_col(model._meta.db_table)
        funcs = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        found.append((col, tuple(funcs)))
    return tuple(found)


def _row_values(model, names, values) -> list:
    """``values`` of a plain cursor's row as the ORM would give them to ``model.from_db``."""
    out = []
    for value, (col, funcs) in zip(
        values, _converters(model, tuple(names), connection.vendor), strict=True
    ):
        for func in funcs:
            value = func(value, col, connection)
        out.append(value)
    return out


def _instance(model, names, values):
    return model.from_db("default", names, _row_values(model, names, values))


def review_setup(
    user, slug: str, state_id: int | None = None
) -> tuple[StudySettings | None, Deck | None, CardState | None]:
    """The user's study settings (with their FSRS parameters), the scope's deck (by slug,
    catalogue or own) and, for a rating, the user's state ``state_id``, in one query:
    (None, …) when the user has no settings row yet, (…, None, …) for an unknown or empty
    slug, (…, None) for no state or another user's. The state is read without a lock: the
    rating's write applies only if the row still holds what was read
    (``services.card_review``). Written out in SQL: it runs on every review request, where
    compiling the equivalent ORM statement costs more than running it."""
    sql = f"""
        SELECT s.id, s.new_per_day, s.desired_retention, d.id, d.owner_id, d.title,
               m.parameters, {STATE_COLS}
        FROM (SELECT %s AS uid) me
        LEFT JOIN {StudySettings._meta.db_table} s ON s.user_id = me.uid
        LEFT JOIN {MemoryProfile._meta.db_table} m ON m.user_id = me.uid AND m.kind = %s
        LEFT JOIN {Deck._meta.db_table} d
            ON d.slug = %s AND (d.owner_id IS NULL OR d.owner_id = me.uid)
        LEFT JOIN {CardState._meta.db_table} st ON st.id = %s AND st.user_id = me.uid
        ORDER BY d.owner_id
    """  # noqa: S608 (table names only; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, Kind.FLASHCARDS, slug, state_id])
        row = cursor.fetchone()
    s_id, new_per_day, retention, d_id, d_owner, d_title, parameters = row[:7]
    study = None
    if s_id is not None:
        study = StudySettings.from_db(
            "default",
            ["id", "user_id", "new_per_day", "desired_retention"],
            [s_id, user.pk, new_per_day, retention],
        )
        # The user's FSRS parameters for flashcards (``prep.memory``), read in the same query.
        study.fsrs_parameters = as_parameters(parameters)
    deck = None
    if slug and d_id is not None:
        deck = Deck.from_db(
            "default", ["id", "owner_id", "slug", "title"], [d_id, d_owner, slug, d_title]
        )
    state = None
    if row[7] is not None:
        state = _instance(CardState, STATE_FIELDS, row[7:])
    return study, deck, state


# --- The queue --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueCounts:
    new: int  # new cards still allowed today
    learning: int  # learning/relearning cards due now
    review: int  # review cards due today
    learn_ahead: int  # learning cards due within the learn-ahead limit
    # new cards in scope, ignoring what was introduced today, counted up to the daily limit
    # (at least one): whether the limit, not the scope, is what leaves none to show
    new_available: int
    has_reviews: bool = False  # the user has a rating to undo (in any scope)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


# The queue's statement. Every part is an uncorrelated scalar subquery on the partial queue
# indexes ((user, state, due) or (user, deck, state, due), unsuspended cards only), so the
# database runs each once: four counts (new cards only up to the daily limit, which is all
# the page can show; the learn-ahead count as the learning count plus the cards due within
# the limit, so none is counted twice), the new cards introduced today, whether the user has
# a rating to undo (any review log: the page's Undo button), and the next card —
# due learning, relearning and review cards first (by due: the first of each state, each read
# off the index in order, rather than one OR or IN that would sort every due card), then new
# cards in deck order while the daily limit allows, then learning cards within the
# learn-ahead limit. The one-row ``q`` is left joined to the next card's state, card and
# deck, so the statement always returns one row.
# Written out in SQL: compiling the same statement through the ORM took several times longer
# than running it (the answer-and-next-card request has a 15 ms budget).
QUEUE_SQL = """
SELECT {state_cols}, {card_cols}, {deck_cols},
       q.n_new, q.n_learning, q.n_review, q.n_soon, q.n_introduced, q.has_reviews
FROM (SELECT
    (SELECT COUNT(*) FROM (SELECT 1 FROM {state} s WHERE {scope} AND s.state = 0
        LIMIT %(new_cap)s) new_cards) AS n_new,
    (SELECT COUNT(*) FROM {state} s WHERE {scope} AND s.state IN (1, 3) AND s.due <= %(now)s)
        AS n_learning,
    (SELECT COUNT(*) FROM {state} s WHERE {scope} AND s.state = 2 AND s.due < %(day_end)s)
        AS n_review,
    (SELECT COUNT(*) FROM {state} s
        WHERE {scope} AND s.state IN (1, 3) AND s.due > %(now)s AND s.due <= %(ahead)s)
        AS n_soon,
    (SELECT COUNT(*) FROM {log} l
        WHERE l.user_id = %(user)s AND l.reviewed_at >= %(day_start)s AND l.prev_state = 0)
        AS n_introduced,
    EXISTS (SELECT 1 FROM {log} l WHERE l.user_id = %(user)s) AS has_reviews
) q
LEFT JOIN {state} st ON st.id = COALESCE(
    (SELECT due_first.id FROM (
        SELECT * FROM (SELECT s.id, s.due FROM {state} s
            WHERE {scope} AND s.state = 1 AND s.due <= %(now)s
            ORDER BY s.due, s.id LIMIT 1) learning_first
        UNION ALL
        SELECT * FROM (SELECT s.id, s.due FROM {state} s
            WHERE {scope} AND s.state = 3 AND s.due <= %(now)s
            ORDER BY s.due, s.id LIMIT 1) relearning_first
        UNION ALL
        SELECT * FROM (SELECT s.id, s.due FROM {state} s
            WHERE {scope} AND s.state = 2 AND s.due < %(day_end)s
            ORDER BY s.due, s.id LIMIT 1) review_first
    ) due_first ORDER BY due_first.due, due_first.id LIMIT 1),
    CASE WHEN q.n_introduced < %(new_per_day)s THEN
        (SELECT s.id FROM {state} s WHERE {scope} AND s.state = 0
            ORDER BY s.position, s.id LIMIT 1)
    END,
    (SELECT s.id FROM {state} s WHERE {scope} AND s.state IN (1, 3) AND s.due <= %(ahead)s
        ORDER BY s.due, s.id LIMIT 1)
)
LEFT JOIN {card} c ON c.id = st.card_id
LEFT JOIN {deck} d ON d.id = st.deck_id
"""
CARD_FIELDS = ["id", "deck_id", "owner_id", "slug", "topic", "front_html", "back_html",
               "changes_html", "source_html", "tags", "position"]  # fmt: skip
DECK_FIELDS = ["id", "owner_id", "slug", "title"]


@functools.cache
def _queue_sql(deck: bool, topic: bool) -> str:
    """The queue's statement for a scope with (or without) a deck and a topic."""
    where = "s.user_id = %(user)s AND NOT s.suspended"
    if deck:
        where += " AND s.deck_id = %(deck)s"
    if topic:
        where += f" AND s.card_id IN (SELECT id FROM {Card._meta.db_table} WHERE topic = %(topic)s)"
    return QUEUE_SQL.format(
        state=CardState._meta.db_table,
        card=Card._meta.db_table,
        deck=Deck._meta.db_table,
        log=ReviewLog._meta.db_table,
        scope=where,
        state_cols=STATE_COLS,
        card_cols=", ".join(f"c.{c}" for c in CARD_FIELDS),
        deck_cols=", ".join(f"d.{c}" for c in DECK_FIELDS),
    )


def _counts_from(n_new, n_learning, n_review, n_soon, n_introduced, has_reviews, study):
    allowed = max(0, study.new_per_day - n_introduced)
    return QueueCounts(
        new=min(allowed, n_new),
        learning=n_learning,
        review=n_review,
        learn_ahead=n_learning + n_soon,
        new_available=n_new,
        has_reviews=bool(has_reviews),
    )


def queue(
    user, scope: Scope, *, study: StudySettings, now: dt.datetime, day: tuple
) -> tuple[QueueCounts, CardState | None]:
    """The queue counts and the next card to show (with its card and deck): one query."""
    day_start, day_end = day
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "user": user.pk,
        "deck": scope.deck.pk if scope.deck is not None else None,
        "topic": scope.topic,
        "now": adapt(now),
        "ahead": adapt(now + LEARN_AHEAD),
        "day_start": adapt(day_start),
        "day_end": adapt(day_end),
        "new_per_day": study.new_per_day,
        # New cards are counted up to the daily limit (at least one): no more can be shown.
        "new_cap": max(1, study.new_per_day),
    }
    with connection.cursor() as cursor:
        cursor.execute(_queue_sql(scope.deck is not None, bool(scope.topic)), params)
        row = cursor.fetchone()
    card_at = len(STATE_FIELDS)
    deck_at = card_at + len(CARD_FIELDS)
    counts_at = deck_at + len(DECK_FIELDS)
    counts = _counts_from(*row[counts_at:], study)
    if row[0] is None:
        return counts, None
    state = _instance(CardState, STATE_FIELDS, row[:card_at])
    state.card = _instance(Card, CARD_FIELDS, row[card_at:deck_at])
    state.deck = _instance(Deck, DECK_FIELDS, row[deck_at:counts_at])
    return counts, state


def queue_counts(
    user, scope: Scope, *, study: StudySettings, now: dt.datetime, day: tuple
) -> QueueCounts:
    """The queue counts (the same one query)."""
    counts, _ = queue(user, scope, study=study, now=now, day=day)
    return counts


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
            st_last_review=F("mine__last_review"),
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
    predicted: list[float | None] = field(default_factory=list)  # percent, per retention window


def stats(user, *, tz, now: dt.datetime, deck: Deck | None = None, days: int = 30) -> Stats:
    """Anki's charts: future due (with the user's retention and parameters), reviews per day,
    true retention beside the predicted one, counts by state (7 queries: the parameters,
    settings and cards of the forecast, reviews per day, retention, predicted, counts)."""
    today = now.astimezone(tz).date()
    day_start, _ = day_bounds(tz, now)
    horizon_end = day_start + dt.timedelta(days=days)
    states = CardState.objects.filter(user=user)
    logs = ReviewLog.objects.filter(user=user)
    if deck is not None:
        states = states.filter(deck=deck)
        logs = logs.filter(deck=deck)
    result = Stats()

    # 1. Future due: review and learning cards due per local day for the next `days` days,
    #    each review card where the user's desired retention and FSRS parameters put it.
    from .forecast import due_dates

    parameters = parameters_for(user, Kind.FLASHCARDS)
    per_day: dict[dt.date, int] = {}
    for due in due_dates(user, now=now, deck=deck, horizon=horizon_end, parameters=parameters):
        day = due.astimezone(tz).date()
        if day < today:
            result.overdue += 1
        else:
            per_day[day] = per_day.get(day, 0) + 1
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

    # 3b. Predicted retention beside it: the mean recall FSRS, with the user's parameters,
    #     predicted for the same reviews (from the stability and elapsed time before each).
    sums = [0.0] * len(windows)
    rows = logs.filter(mature, reviewed_at__gte=windows[-1][1], prev_stability__gt=0).values_list(
        "reviewed_at", "prev_last_review", "prev_stability"
    )
    for at, last, stability in rows.iterator(chunk_size=5000):
        if last is None:
            continue
        recall = retrievability((at - last).total_seconds() / 86400, stability, parameters)
        for i, (label, start) in enumerate(windows):
            end = day_start if label == "Yesterday" else None
            if at >= start and (end is None or at < end):
                sums[i] += recall
    result.predicted = [
        round(100 * sums[i] / total, 1) if total else None
        for i, (_, _, total) in enumerate(result.retention)
    ]

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


# --- What other apps ask (the dashboard, readiness) -------------------------------------------
RETENTION_DAYS = 30


@dataclass(frozen=True)
class CardFigures:
    """What the dashboard shows of the cards, each rule stated once (``card_figures``)."""

    due: int  # cards due today (``due_count``)
    retention: float  # 0..1 (``retention_and_coverage``)
    coverage: float  # 0..1 (``retention_and_coverage``)


# One statement of uncorrelated scalar subqueries (run once each), as the queue's: the due
# counts read the partial queue index ((user, state, due), unsuspended cards) as the queue does.
# Written out in SQL for the same reason: the dashboard asks it on every view.
FIGURES_SQL = """
SELECT
    (SELECT COUNT(*) FROM {state} s
        WHERE s.user_id = %(user)s AND NOT s.suspended AND s.state IN (1, 3) AND s.due <= %(now)s)
    + (SELECT COUNT(*) FROM {state} s
        WHERE s.user_id = %(user)s AND NOT s.suspended AND s.state = 2 AND s.due < %(day_end)s),
    (SELECT COUNT(*) FROM {log} l
        WHERE l.user_id = %(user)s AND l.reviewed_at >= %(since)s AND l.prev_state <> 0),
    (SELECT COUNT(*) FROM {log} l
        WHERE l.user_id = %(user)s AND l.reviewed_at >= %(since)s AND l.prev_state <> 0
        AND l.rating <> 1),
    (SELECT COUNT(*) FROM {state} s WHERE s.user_id = %(user)s AND NOT s.suspended),
    (SELECT COUNT(*) FROM {state} s WHERE s.user_id = %(user)s AND NOT s.suspended AND s.reps > 0)
"""


def card_figures(user, *, now: dt.datetime, tz) -> CardFigures:
    """Cards due today, retention and deck coverage (see ``due_count`` and
    ``retention_and_coverage``): one query."""
    _, day_end = day_bounds(tz, now)
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "user": user.pk,
        "now": adapt(now),
        "day_end": adapt(day_end),
        "since": adapt(now - dt.timedelta(days=RETENTION_DAYS)),
    }
    sql = FIGURES_SQL.format(state=CardState._meta.db_table, log=ReviewLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        due, answers, passed, cards, seen = cursor.fetchone()
    return CardFigures(
        due=due,
        retention=passed / answers if answers else 0.0,
        coverage=seen / cards if cards else 0.0,
    )


def due_count(user, *, now: dt.datetime, tz) -> int:
    """Cards due today: learning and relearning cards due now, review cards due before the
    user's local day ends (the review queue's ``learning + review``; new cards are not due)."""
    return card_figures(user, now=now, tz=tz).due


def retention_and_coverage(user, *, now: dt.datetime) -> tuple[float, float]:
    """(retention, coverage), each 0..1. Retention: the share of the last 30 days' answers
    that were not "Again", on cards past their first review. Coverage: the share of the
    user's unsuspended cards reviewed at least once. One query."""
    figures = card_figures(user, now=now, tz=dt.UTC)
    return figures.retention, figures.coverage
