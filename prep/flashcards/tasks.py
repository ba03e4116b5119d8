"""Celery tasks of the flashcards app: reporting reviews to the curriculum.

A rating reports to the curriculum after its transaction commits, through these tasks
(``services.card_review`` and ``services.review_undo`` enqueue them with
``delay_on_commit``), so the answer request itself never runs the progress seam's queries
when a broker is configured. Without one (``CELERY_TASK_ALWAYS_EAGER``) they run
in-process right after the commit.

Both are idempotent, and correct in any order: ``progress.record`` and ``progress.retract``
are idempotent by key, and ``review_report`` reports only a review log that still exists,
holding its row lock while it does, so an undo (which deletes the log under the same lock)
either comes after the report — and its retraction, enqueued after the undo commits, finds
the event — or before it, and the report finds nothing to report.
"""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction

from curriculum import progress
from prep.lib.retry import RETRY


@shared_task(**RETRY)
def review_report(log_id: int) -> bool:
    """Report review log ``log_id`` as ``card_reviewed`` (nothing if it was undone)."""
    from . import services
    from .models import ReviewLog

    with transaction.atomic():
        log = (
            ReviewLog.objects.select_for_update(of=("self",))
            .select_related("user", "card", "deck")
            .filter(pk=log_id)
            .first()
        )
        if log is None:
            return False
        return progress.record(
            log.user,
            key=services.progress_key(log.pk),
            area=services.AREA,
            kind="card_reviewed",
            tags=services.progress_tags(log.card, log.deck),
            occurred_at=log.reviewed_at,
        )


@shared_task(**RETRY)
def review_retract(user_id: int, log_id: int) -> bool:
    """Retract the report of review log ``log_id`` (an undo)."""
    from . import services

    user = get_user_model()(pk=user_id)
    return progress.retract(user, key=services.progress_key(log_id))
