from celery import shared_task

from . import outbox


@shared_task
def outbox_drain() -> int:
    """Send the tasks kept while the broker was down (thin: the work is in prep.lib.outbox)."""
    return outbox.outbox_drain()
