"""Writes of the flashcards app: reviews, undo, own cards, decks, settings, import.

Scheduling is FSRS through the ``fsrs`` package, with fuzzing off so that the
interval shown on a rating button is exactly the interval the rating gives. Times
given to the scheduler are timezone-aware UTC. Each review reports to the
curriculum through the progress seam (``card_reviewed``) after its transaction commits, in a
Celery task (``tasks``); an undo retracts it the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import fsrs
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from curriculum import progress
from prep.memory.fit import DEFAULT_PARAMETERS
from prep.memory.models import Kind
from prep.memory.parameters import parameters_for

from . import tasks
from .models import Card, CardState, Deck, ReviewLog, StudySettings
from .rendering import normalise_tags, render_markdown

UTC = dt.UTC
AREA = "ml_fundamentals"
TOKEN_SALT = "prep.flashcards.showing"
# A showing older than this cannot be rated any more: the card is shown again.
SHOWING_MAX_AGE = dt.timedelta(hours=12)


class ReviewError(ValueError):
    """A rating that cannot be applied (bad token, stale showing)."""


# --- Scheduler and conversions -----------------------------------------------------------
def scheduler_for(study: StudySettings | None, parameters=None) -> fsrs.Scheduler:
    """FSRS with the user's desired retention and parameters: ``parameters`` if given, else
    those ``selectors.review_setup`` read with the settings, else the FSRS defaults."""
    retention = study.desired_retention if study is not None else 0.9
    if parameters is None:
        parameters = getattr(study, "fsrs_parameters", None) or DEFAULT_PARAMETERS
    return fsrs.Scheduler(
        parameters=tuple(parameters), desired_retention=retention, enable_fuzzing=False
    )


def parameters_of(*, user, study: StudySettings | None) -> tuple[float, ...]:
    """The FSRS parameters to schedule ``user``'s cards with (no query when ``study`` came
    from ``selectors.review_setup``)."""
    parameters = getattr(study, "fsrs_parameters", None)
    return parameters if parameters is not None else parameters_for(user, Kind.FLASHCARDS)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(UTC) if value is not None else None


def to_fsrs(state: CardState) -> fsrs.Card:
    """The stored state as an ``fsrs.Card`` (a new card is FSRS's Learning step 0)."""
    if state.state == CardState.State.NEW:
        return fsrs.Card(
            card_id=state.pk or 1, state=fsrs.State.Learning, step=0, due=_utc(state.due)
        )
    return fsrs.Card(
        card_id=state.pk or 1,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due),
        last_review=_utc(state.last_review),
    )


def preview(
    state: CardState, scheduler: fsrs.Scheduler, at: dt.datetime
) -> dict[int, dt.timedelta]:
    """For each rating 1–4, the interval reviewing at ``at`` would give."""
    card = to_fsrs(state)
    at = _utc(at)
    return {
        int(rating): scheduler.review_card(card, rating, review_datetime=at)[0].due - at
        for rating in fsrs.Rating
    }


# --- Showing tokens: one rating per showing ------------------------------------------------
def showing_token(state: CardState, shown_at: dt.datetime) -> str:
    """A signed (state, review count, shown-at) triple posted back with the rating."""
    millis = int(shown_at.timestamp() * 1000)
    return signing.dumps([state.pk, state.reps, millis], salt=TOKEN_SALT, compress=False)


@dataclass(frozen=True)
class Showing:
    state_id: int
    seq: int
    shown_at: dt.datetime


def showing_read(token: str, *, now: dt.datetime | None = None) -> Showing:
    now = now or timezone.now()
    try:
        state_id, seq, millis = signing.loads(token, salt=TOKEN_SALT)
        shown_at = dt.datetime.fromtimestamp(int(millis) / 1000, tz=UTC)
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise ReviewError("This rating could not be read; the card is shown again.") from exc
    if shown_at > now + dt.timedelta(minutes=1) or now - shown_at > SHOWING_MAX_AGE:
        raise ReviewError("This card was shown too long ago; it is shown again.")
    return Showing(int(state_id), int(seq), shown_at)


# --- Settings ------------------------------------------------------------------------------
def study_settings_get(user) -> StudySettings:
    study, _ = StudySettings.objects.get_or_create(user=user)
    return study


def study_settings_update(*, user, new_per_day: int, desired_retention: float) -> StudySettings:
    study = study_settings_get(user)
    study.new_per_day = new_per_day
    study.desired_retention = desired_retention
    study.full_clean()
    study.save()
    return study


# --- Enrolment ------------------------------------------------------------------------------
def states_enrol(*, user, now: dt.datetime | None = None) -> int:
    """Give ``user`` a (new) state for every catalogue card they have none for."""
    now = now or timezone.now()
    missing = list(
        Card.objects.filter(owner=None)
        .exclude(states__user=user)
        .values_list("pk", "deck_id", "position")
    )
    if not missing:
        return 0
    CardState.objects.bulk_create(
        [
            CardState(user=user, card_id=pk, deck_id=deck_id, due=now, position=position)
            for pk, deck_id, position in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


# --- Reviews ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewOutcome:
    log: ReviewLog | None
    duplicate: bool


def progress_key(log_id: int) -> str:
    return f"flashcards:review:{log_id}"


def progress_tags(card: Card, deck: Deck) -> tuple[str, ...]:
    tags = [f"deck:{deck.slug}"]
    if card.topic:
        tags.append(f"topic:{card.topic}")
    return tuple(tags)


def card_review(
    *,
    user,
    state_id: int,
    seq: int,
    rating: int,
    reviewed_at: dt.datetime,
    now: dt.datetime | None = None,
    study: StudySettings | None = None,
    state: CardState | None = None,
) -> ReviewOutcome:
    """Apply ``rating`` to the showing (state, seq) at ``reviewed_at`` (when it was shown).

    The rule: one showing gives one review. A rating for a showing that is no longer the
    card's current one (a double submit, a second tab) changes nothing and is reported
    as a duplicate. The interval given is the one FSRS gives at ``reviewed_at``, which is
    the one the rating button showed.

    ``state`` is the state as the caller read it, without a lock (``selectors.review_setup``
    reads it with the settings); without it, it is read here. The review is computed from
    it and written by one conditional statement (``_review_write``) that applies only if
    the row still holds every value read — the same outcome as reading under a lock. If
    anything changed in between (a concurrent rating or undo, a reschedule, a move to
    another deck), the review is decided again under the row's lock (``_review_locked``).
    The curriculum hears of the review after the commit (``tasks.review_report``).
    """
    if rating not in ReviewLog.Rating.values:
        raise ReviewError(f"Unknown rating {rating!r}.")
    now = now or timezone.now()
    reviewed_at = _utc(reviewed_at)
    scheduler = scheduler_for(study, parameters_of(user=user, study=study))
    if state is None:
        state = CardState.objects.get(pk=state_id, user=user)
    elif state.pk != state_id or state.user_id != user.pk:
        raise CardState.DoesNotExist(f"State {state_id} is not this user's.")
    if state.reps != seq:
        # Not the card's current showing when read: a duplicate, as it was at that instant.
        return ReviewOutcome(log=None, duplicate=True)
    log, after = _review_log(state, seq, rating, reviewed_at, now, scheduler)
    try:
        written = _review_write(state, log, after)
    except IntegrityError:
        # The unique (card_state, seq) constraint: a concurrent copy of this rating won.
        return ReviewOutcome(log=None, duplicate=True)
    if not written:
        try:
            with transaction.atomic():
                outcome = _review_locked(
                    user=user,
                    state_id=state_id,
                    seq=seq,
                    rating=rating,
                    reviewed_at=reviewed_at,
                    now=now,
                    scheduler=scheduler,
                )
                if outcome.log is not None:
                    tasks.review_report.delay_on_commit(outcome.log.pk)
                return outcome
        except IntegrityError:
            return ReviewOutcome(log=None, duplicate=True)
    # Idempotent by key, and reports nothing if the review is undone first. Outside a
    # transaction (the site's requests: autocommit), sent now, the statement committed.
    tasks.review_report.delay_on_commit(log.pk)
    for name, value in after.items():
        setattr(state, name, value)
    return ReviewOutcome(log=log, duplicate=False)


STATE_FIELDS = ["state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"]


def _review_log(
    state: CardState, seq, rating, reviewed_at, now, scheduler
) -> tuple[ReviewLog, dict]:
    """The review log of ``rating`` on ``state`` as read (unsaved), and the state's fields
    after it (``STATE_FIELDS``)."""
    before = to_fsrs(state)
    after, _ = scheduler.review_card(before, fsrs.Rating(rating), review_datetime=reviewed_at)
    log = ReviewLog(
        user_id=state.user_id,
        card_state_id=state.pk,
        card_id=state.card_id,
        deck_id=state.deck_id,
        seq=seq,
        rating=rating,
        reviewed_at=reviewed_at,
        duration_ms=max(0, min(int((now - reviewed_at).total_seconds() * 1000), 3_600_000)),
        prev_state=state.state,
        prev_step=state.step,
        prev_stability=state.stability,
        prev_difficulty=state.difficulty,
        prev_due=state.due,
        prev_last_review=state.last_review,
        prev_lapses=state.lapses,
        prev_interval_days=state.interval_days,
        state=int(after.state),
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
    )
    lapse = state.state == CardState.State.REVIEW and rating == ReviewLog.Rating.AGAIN
    return log, {
        "state": int(after.state),
        "step": after.step,
        "stability": after.stability,
        "difficulty": after.difficulty,
        "due": after.due,
        "last_review": after.last_review,
        "reps": seq + 1,
        "lapses": state.lapses + 1 if lapse else state.lapses,
    }


# The columns the conditional write compares with what was read: every one the review is
# computed from or copies into its log.
_READ_FIELDS = ["deck", *STATE_FIELDS]
_LOG_PREV = {
    "state": "prev_state",
    "step": "prev_step",
    "stability": "prev_stability",
    "difficulty": "prev_difficulty",
    "due": "prev_due",
    "last_review": "prev_last_review",
    "lapses": "prev_lapses",
    "reps": "seq",
}


@functools.cache
def _review_write_sql(vendor: str, unset: frozenset[str]) -> str:
    """The rating's conditional write for ``vendor``, where the read fields ``unset`` were
    None (``IS NULL``): on PostgreSQL the state's update feeding the log's insert, elsewhere
    the update alone. Built once per shape (the columns, casts and quoting come from the
    models, which do not change at run time)."""
    meta, log_meta = CardState._meta, ReviewLog._meta
    ops = connection.ops
    assignments = [f"{ops.quote_name(meta.get_field(n).column)} = %s" for n in STATE_FIELDS]
    where = [
        f"{ops.quote_name(meta.pk.column)} = %s",
        f"{ops.quote_name(meta.get_field('user').column)} = %s",
    ]
    for name in _READ_FIELDS:
        column = ops.quote_name(meta.get_field(name).column)
        where.append(f"{column} IS NULL" if name in unset else f"{column} = %s")
    where.append(
        f"NOT EXISTS (SELECT 1 FROM {ops.quote_name(log_meta.db_table)} "
        f"WHERE {ops.quote_name(log_meta.get_field('card_state').column)} = %s "
        f"AND {ops.quote_name(log_meta.get_field('seq').column)} = %s)"
    )
    update = (
        f"UPDATE {ops.quote_name(meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {' AND '.join(where)}"
    )
    if vendor != "postgresql":
        return update
    fields = _log_fields()
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    casts = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in fields)
    return (
        f"WITH moved AS ({update} RETURNING 1) "  # noqa: S608 (names; values are parameters)
        f"INSERT INTO {ops.quote_name(log_meta.db_table)} ({columns}) "
        f"SELECT {casts} FROM moved RETURNING {ops.quote_name(log_meta.pk.column)}"
    )


@functools.cache
def _log_fields() -> tuple:
    """The review log's columns the write inserts (all but the key)."""
    return tuple(f for f in ReviewLog._meta.concrete_fields if not f.primary_key)


def _review_write(state: CardState, log: ReviewLog, after: dict) -> bool:
    """Give ``state``'s row the fields ``after`` the review and insert ``log``, only if the row
    still holds what the review was computed from (``log``'s "before" fields, ``reps`` =
    its ``seq``, the same deck) and no log of this showing exists: True if written (and
    ``log.pk`` set), False if the row changed in the meantime.

    On PostgreSQL one statement (the update, and the insert fed by what it updated), so
    no transaction round trips; elsewhere the two statements in one transaction."""
    meta = CardState._meta
    params = [
        meta.get_field(name).get_db_prep_save(after[name], connection) for name in STATE_FIELDS
    ]
    params += [state.pk, state.user_id]
    unset = []
    for name in _READ_FIELDS:
        was = getattr(log, f"{name}_id" if name == "deck" else _LOG_PREV[name])
        if was is None:
            unset.append(name)
        else:
            params.append(meta.get_field(name).get_db_prep_save(was, connection))
    params += [state.pk, log.seq]
    statement = _review_write_sql(connection.vendor, frozenset(unset))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = [
                f.get_db_prep_save(getattr(log, f.attname), connection) for f in _log_fields()
            ]
            cursor.execute(statement, params + values)
            row = cursor.fetchone()
            if row is None:
                return False
            log.pk = row[0]
        else:
            with transaction.atomic():
                cursor.execute(statement, params)
                if cursor.rowcount != 1:
                    return False
                log.save(force_insert=True)
    log._state.adding = False
    log._state.db = "default"
    return True


def _review_locked(*, user, state_id, seq, rating, reviewed_at, now, scheduler) -> ReviewOutcome:
    """The review decided under the state row's lock, inside the caller's transaction (when
    the row changed after ``card_review`` read it). A state that is not the user's raises
    ``CardState.DoesNotExist``."""
    state = CardState.objects.select_for_update().get(pk=state_id, user=user)
    if state.reps != seq:
        return ReviewOutcome(log=None, duplicate=True)
    log, after = _review_log(state, seq, rating, reviewed_at, now, scheduler)
    log.save(force_insert=True)
    for name, value in after.items():
        setattr(state, name, value)
    state.save(update_fields=STATE_FIELDS)
    return ReviewOutcome(log=log, duplicate=False)


def review_undo(*, user) -> CardState | None:
    """Undo the user's latest rating: the card gets back the state it had before it, and
    the curriculum's report is retracted after the commit (``tasks.review_retract``)."""
    with transaction.atomic():
        log = ReviewLog.objects.select_for_update().filter(user=user).order_by("-pk").first()
        if log is None:
            return None
        state = (
            CardState.objects.select_for_update(of=("self",))
            .select_related("card", "deck")
            .get(pk=log.card_state_id)
        )
        state.state = log.prev_state
        state.step = log.prev_step
        state.stability = log.prev_stability
        state.difficulty = log.prev_difficulty
        state.due = log.prev_due
        state.last_review = log.prev_last_review
        state.lapses = log.prev_lapses
        state.reps = log.seq
        state.save(update_fields=STATE_FIELDS)
        log_id = log.pk
        log.delete()
        tasks.review_retract.delay_on_commit(user.pk, log_id)
    return state


# --- Decks and own cards ----------------------------------------------------------------------
class CardError(ValueError):
    pass


def deck_slug_for(*, user, title: str) -> str:
    """A slug unique among the user's decks that never borrows a catalogue deck's slug."""
    base = slugify(title)[:50] or "deck"
    taken = set(Deck.objects.filter(owner=user).values_list("slug", flat=True))
    taken |= set(Deck.objects.filter(owner=None).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def deck_create(*, user, title: str, description: str = "") -> Deck:
    title = title.strip()
    if not title:
        raise CardError("A deck needs a name.")
    return Deck.objects.create(
        owner=user,
        title=title[:120],
        description=description,
        slug=deck_slug_for(user=user, title=title),
    )


def deck_default(*, user) -> Deck:
    deck = Deck.objects.filter(owner=user).order_by("pk").first()
    return deck or deck_create(user=user, title="My cards")


def _render(card: Card) -> None:
    card.front_html = render_markdown(card.front)
    card.back_html = render_markdown(card.back)
    card.changes_html = render_markdown(card.changes)
    card.source_html = render_markdown(card.source)


@transaction.atomic
def card_create(*, user, deck: Deck, front: str, back: str, tags: str = "", now=None) -> Card:
    """Add an own card to an own deck, with a new state for its owner."""
    if deck.owner_id != user.pk:
        raise CardError("Cards can only be added to your own decks.")
    card = Card(
        deck=deck,
        owner=user,
        front=front,
        back=back,
        tags=normalise_tags(tags),
        position=Card.objects.filter(deck=deck).count(),
    )
    _render(card)
    card.save()
    CardState.objects.create(
        user=user, card=card, deck=deck, due=now or timezone.now(), position=card.position
    )
    return card


@transaction.atomic
def card_update(*, card: Card, deck: Deck, front: str, back: str, tags: str) -> Card:
    if card.owner_id is None or deck.owner_id != card.owner_id:
        raise CardError("Only your own cards can be edited.")
    card.front, card.back, card.tags = front, back, normalise_tags(tags)
    moved = card.deck_id != deck.pk
    card.deck = deck
    _render(card)
    card.save()
    if moved:
        CardState.objects.filter(card=card).update(deck=deck)
        ReviewLog.objects.filter(card=card).update(deck=deck)
    return card


@transaction.atomic
def card_delete(*, card: Card) -> None:
    if card.owner_id is None:
        raise CardError("Catalogue cards cannot be deleted; suspend them instead.")
    log_ids = list(ReviewLog.objects.filter(card=card).values_list("pk", flat=True))
    # Delete first: a report still being made holds its log's lock, so the delete waits for
    # it, and the retractions below then find its event (or, later, it finds no log).
    card.delete()
    for log_id in log_ids:
        progress.retract(card.owner, key=progress_key(log_id))


def card_suspend(*, state: CardState, suspended: bool) -> CardState:
    """Suspend (or unsuspend) a card for its user: a suspended card is never shown."""
    CardState.objects.filter(pk=state.pk).update(suspended=suspended)
    state.suspended = suspended
    return state


def card_state_for(*, user, card: Card, now=None) -> CardState:
    state, _ = CardState.objects.get_or_create(
        user=user,
        card=card,
        defaults={"deck_id": card.deck_id, "due": now or timezone.now(), "position": card.position},
    )
    return state


# --- Import ---------------------------------------------------------------------------------------
@transaction.atomic
def cards_import(*, user, deck: Deck, rows: list, now=None) -> int:
    """Create own cards from parsed rows (see ``exchange.parse``): all of them or none."""
    if deck.owner_id != user.pk:
        raise CardError("Cards can only be imported into your own decks.")
    now = now or timezone.now()
    start = Card.objects.filter(deck=deck).count()
    cards = []
    for offset, row in enumerate(rows):
        card = Card(
            deck=deck,
            owner=user,
            front=row.front,
            back=row.back,
            tags=normalise_tags(row.tags),
            position=start + offset,
        )
        _render(card)
        cards.append(card)
    created = Card.objects.bulk_create(cards)
    CardState.objects.bulk_create(
        [
            CardState(user=user, card=card, deck=deck, due=now, position=card.position)
            for card in created
        ]
    )
    return len(created)
