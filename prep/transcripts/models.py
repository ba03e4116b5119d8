"""Transcripts: the recorded (or uploaded) mock as a document.

A Transcript owns its Segments (one row per seq, the latest version of it), its Pins (the
framing agreed at the start: question, assumptions, constraints…) and its PhaseMarks. The
fields under "live context" are kept up to date by the services in the same transaction as
the pin or phase mark they summarise, so reading the context never scans the transcript.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .deletion import keep_shared_or_cascade

PIN_KINDS = ("question", "assumption", "constraint", "metric", "decision", "note")
PinKind = models.TextChoices("PinKind", [(k, k) for k in PIN_KINDS])

#: A phase mark with this name exchanges interviewer and candidate (the capture contract, prep/capture/README.md).
SWAP = "swap"

#: Who a speaker label stands for: the booking's host or guest, or me / other when solo.
PEER_PARTICIPANTS = ("host", "guest")
SOLO_PARTICIPANTS = ("me", "other")
SPEAKER_ROLES = ("interviewer", "candidate")


class TranscriptQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class Transcript(models.Model):
    class Source(models.TextChoices):
        CAPTURED = "captured", "Captured live"
        UPLOADED = "uploaded", "Uploaded"

    class Status(models.TextChoices):
        RECORDING = "recording", "Recording"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"

    # Deleting the owner deletes their transcripts, except one shared with the other person
    # of its booking: that one passes to them without the deleted person's speech.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=keep_shared_or_cascade, related_name="transcripts"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30)
    question = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CAPTURED)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECORDING)
    # {"<speaker label>": "host" | "guest" | "me" | "other"}
    speakers = models.JSONField(default=dict, blank=True)
    # {"host": "interviewer", "guest": "candidate"} (or me/other); swapped by a "swap" mark
    roles = models.JSONField(default=dict, blank=True)
    # SET_NULL: a peer's transcript (and the feedback keyed to it) outlives a deleted booking.
    booking = models.ForeignKey(
        "booking.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transcripts",
    )
    solo_mock = models.ForeignKey(
        "mocks.SoloMock",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transcripts",
    )

    # Segment bookkeeping, maintained under the row lock taken by segment_batch_ingest.
    segment_count = models.PositiveIntegerField(default=0)
    final_count = models.PositiveIntegerField(default=0)
    max_seq = models.BigIntegerField(default=-1)
    contiguous_seq = models.BigIntegerField(default=-1)

    # Live context (denormalised from Pin and PhaseMark).
    pinned = models.JSONField(default=dict, blank=True)  # {kind: [{id, text, at_ms}]}
    phases = models.JSONField(default=list, blank=True)  # [{phase, ms}] ordered by ms
    current_phase = models.CharField(max_length=40, blank=True)
    phase_started_ms = models.BigIntegerField(null=True, blank=True)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    roles_swapped = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    # Written by post-processing (analysis.analyse): talk time, pace, fillers, questions,
    # silences, phases and rubric coverage. Recomputed whole each time, never patched.
    analysis = models.JSONField(default=dict, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    # Participants ("host", "guest", "me", "other") whose speech was deleted.
    erased = models.JSONField(default=list, blank=True)
    # Speaker labels of a deleted account (SHA-256 of each, not the name): new segments
    # under them are refused (services.segment_batch_ingest).
    refused_labels = models.JSONField(default=list, blank=True)

    objects = TranscriptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        from prep.mocks.models import MockKind

        try:
            return MockKind(self.kind).label
        except ValueError:
            return self.kind

    @property
    def is_recording(self) -> bool:
        return self.status == self.Status.RECORDING

    def current_roles(self) -> dict[str, str]:
        """Roles after any swap marks: {participant: interviewer | candidate}."""
        if not self.roles_swapped:
            return dict(self.roles)
        flip = {"interviewer": "candidate", "candidate": "interviewer"}
        return {who: flip.get(role, role) for who, role in self.roles.items()}


#: PostgreSQL's search index (migration 0007): GIN on (owner, tsvector) with btree_gin, so a
#: search scoped to one user reads only that user's entries of each word. Bulk loaders
#: (the demo seeder, the benches) drop it before a load and rebuild it with this statement.
SEARCH_INDEX = "transcripts_segment_user_search_gin"
SEARCH_INDEX_SQL = f"CREATE INDEX {SEARCH_INDEX} ON transcripts_segment USING gin (user_id, search)"


class Segment(models.Model):
    """One seq of a transcript: the latest interim or the final version of it."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    # The owner is copied onto each row so that owner-scoped search needs no join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    speaker = models.CharField(max_length=100)
    text = models.TextField()
    start_ms = models.BigIntegerField()
    end_ms = models.BigIntegerField()
    final = models.BooleanField(default=True)
    # to_tsvector('english', text), kept by a trigger on PostgreSQL (migration 0003) and
    # GIN-indexed there with the owner (SEARCH_INDEX); NULL and unused on SQLite, where
    # search falls back to icontains.
    search = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["transcript", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "seq"], name="segment_unique_seq"),
            models.CheckConstraint(condition=models.Q(seq__gte=0), name="segment_seq_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.transcript_id}#{self.seq}"

    def as_tuple(self) -> tuple:
        return (self.speaker, self.text, self.start_ms, self.end_ms, self.final)


class Pin(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="pins")
    kind = models.CharField(max_length=20, choices=PinKind.choices)
    text = models.TextField()
    at_ms = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transcript", "at_ms", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:40]}"


class PhaseMark(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="phase_marks")
    phase = models.CharField(max_length=40)
    at_ms = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transcript", "at_ms", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "phase", "at_ms"], name="phasemark_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase} at {self.at_ms} ms"


class Highlight(models.Model):
    """A segment the owner marked, with an optional comment; a card may be made from it.

    It names the segment by seq (not a foreign key), so deleting speech removes the
    highlight explicitly (services) and segments stay cheap to bulk-delete.
    """

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="highlights")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    note = models.TextField(blank=True)
    card_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["transcript", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "user", "seq"], name="highlight_one_per_segment"
            ),
        ]

    def __str__(self) -> str:
        return f"highlight {self.transcript_id}#{self.seq}"


class ShareQuerySet(models.QuerySet):
    def shared_with(self, user):
        return self.filter(user=user)


class TranscriptShare(models.Model):
    """Read-only access for the other person of the transcript's booking (and nobody else)."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transcript_shares"
    )
    # Which side of the booking the reader is ("host" / "guest"): their speech is theirs.
    participant = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transcript", "user"], name="share_one_per_reader"),
        ]

    def __str__(self) -> str:
        return f"share {self.transcript_id} with {self.user_id}"


class TranscriptEvent(models.Model):
    """What changed in a recording transcript, in order: the log the live stream relays.

    ``seq`` counts from 1 per transcript and is allocated under the transcript's row lock
    by the service that made the change (``events.record``), in the same transaction, so
    a listener that resumes after seq n (``Last-Event-ID``) misses and repeats nothing.
    ``kind`` is ``segments``, ``pin``, ``pin_deleted``, ``phase`` or ``status``.
    """

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transcript", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "seq"], name="transcript_event_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.transcript_id} event {self.seq} ({self.kind})"
