"""Decks, cards, per-user FSRS card state and review logs.

Catalogue decks and cards (``owner`` is null) are global and loaded from
``prep/flashcards/content``; a user's own decks and cards carry ``owner``.
A user's scheduling state for any card (catalogue or own) is a ``CardState`` row,
and every rating is a ``ReviewLog`` row holding the state before and after it (the
"before" half is what undo restores).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# Anki's threshold: a card whose interval is at least 21 days is "mature".
MATURE_DAYS = 21


class Deck(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flashcard_decks",
    )
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner_id", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(owner=None), name="flashcards_deck_global_slug"
            ),
            models.UniqueConstraint(fields=["owner", "slug"], name="flashcards_deck_owner_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_catalogue(self) -> bool:
        return self.owner_id is None


class CardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Catalogue cards and the user's own cards."""
        return self.filter(Q(owner=None) | Q(owner=user))


class Card(models.Model):
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="cards")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flashcards",
    )
    # Catalogue cards are updated in place by slug; own cards leave it blank.
    slug = models.SlugField(max_length=80, blank=True)
    topic = models.SlugField(max_length=40, blank=True)
    # Markdown source; the *_html fields are the sanitised rendering, kept in step by services.
    front = models.TextField()
    back = models.TextField()
    changes = models.TextField(blank=True, help_text="What would change the answer.")
    source = models.TextField(blank=True)
    front_html = models.TextField(blank=True)
    back_html = models.TextField(blank=True)
    changes_html = models.TextField(blank=True)
    source_html = models.TextField(blank=True)
    # Anki-style tags: space-separated, stored with a leading and trailing space so that
    # ``tags__contains=" tag "`` matches one whole tag on every database.
    tags = models.CharField(max_length=500, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["deck_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deck", "slug"], condition=~Q(slug=""), name="flashcards_card_deck_slug"
            ),
        ]
        indexes = [models.Index(fields=["owner", "deck"])]

    def __str__(self) -> str:
        return self.front[:60]

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class CardState(models.Model):
    """One user's FSRS state for one card (``fsrs.Card`` plus review counters)."""

    class State(models.IntegerChoices):
        NEW = 0, "New"
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    # Indexed by the (user, card) constraint, which also serves the foreign key.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="flashcard_states",
        db_index=False,
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="states")
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="+")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.NEW)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    suspended = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)  # order in which new cards are shown
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "card"], name="flashcards_state_user_card"),
        ]
        indexes = [
            # The review queue reads only unsuspended cards: partial indexes, so that
            # ``suspended=False`` (rendered as ``NOT suspended``) does not end the range scan.
            models.Index(
                fields=["user", "state", "due"], name="fc_queue", condition=Q(suspended=False)
            ),
            models.Index(
                fields=["user", "deck", "state", "due"],
                name="fc_queue_deck",
                condition=Q(suspended=False),
            ),
            # The next new card, in deck order (with and without a deck): new cards only, so
            # a rating (which makes a card learning) adds nothing to them.
            models.Index(
                fields=["user", "position", "id"],
                name="fc_new_order",
                condition=Q(suspended=False, state=0),
            ),
            models.Index(
                fields=["user", "deck", "position", "id"],
                name="fc_new_order_deck",
                condition=Q(suspended=False, state=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.card_id} {self.get_state_display()}"

    @property
    def interval_days(self) -> float | None:
        if self.last_review is None or self.state == self.State.NEW:
            return None
        return (self.due - self.last_review).total_seconds() / 86400


class ReviewLog(models.Model):
    """One rating: what it was, when, and the card's state before and after it."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    # Indexed by fc_log_user_latest (user, id), which also serves the foreign key.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="flashcard_reviews",
        db_index=False,
    )
    # Indexed by the (card_state, seq) constraint, which also serves the foreign key.
    card_state = models.ForeignKey(
        CardState, on_delete=models.CASCADE, related_name="logs", db_index=False
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="+")
    # The card's review count when it was shown: one log per showing (double submits count once).
    seq = models.PositiveIntegerField()
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # Before the rating (restored by undo).
    prev_state = models.PositiveSmallIntegerField(choices=CardState.State.choices)
    prev_step = models.PositiveSmallIntegerField(null=True, blank=True)
    prev_stability = models.FloatField(null=True, blank=True)
    prev_difficulty = models.FloatField(null=True, blank=True)
    prev_due = models.DateTimeField()
    prev_last_review = models.DateTimeField(null=True, blank=True)
    prev_lapses = models.PositiveIntegerField(default=0)
    # The interval the card had been given before this rating (None for a new card): a
    # review-state card with prev_interval_days >= MATURE_DAYS is mature (true retention).
    prev_interval_days = models.FloatField(null=True, blank=True)
    # After the rating.
    state = models.PositiveSmallIntegerField(choices=CardState.State.choices)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card_state", "seq"], name="flashcards_log_once"),
        ]
        indexes = [
            models.Index(fields=["user", "reviewed_at"], name="fc_log_user_time"),
            # The user's latest rating (undo): on the user's index alone PostgreSQL walked
            # the primary key backwards through everyone's logs to find it.
            models.Index(fields=["user", "id"], name="fc_log_user_latest"),
            # The new cards the user introduced today (the queue's daily limit): a card's
            # first rating only, so the count reads today's introductions and no other rating.
            models.Index(
                fields=["user", "reviewed_at"],
                name="fc_log_introduced",
                condition=Q(prev_state=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card_id} {self.get_rating_display()} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class StudySettings(models.Model):
    """A user's review settings (Anki's deck options, kept per user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flashcard_settings"
    )
    new_per_day = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(0), MaxValueValidator(999)]
    )
    desired_retention = models.FloatField(
        default=0.90, validators=[MinValueValidator(0.70), MaxValueValidator(0.97)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_retention__gte=0.70) & Q(desired_retention__lte=0.97),
                name="flashcards_settings_retention_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Flashcard settings of {self.user_id}"
