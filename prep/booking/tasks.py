"""Celery tasks of the booking app: small wrappers around services, idempotent.

Reminders are never scheduled as broker countdowns: ``reminders_sweep`` (run by beat
every five minutes) finds what is due in the database and enqueues one
``reminder_send`` per reminder, which claims it with a lease before sending.
"""

from celery import shared_task

from prep.lib.retry import RETRY

from . import services


@shared_task(**RETRY)
def send_invites(booking_id: int, method: str, sequence: int) -> int:
    return services.invites_send(booking_id=booking_id, method=method, sequence=sequence)


@shared_task
def reminders_sweep() -> int:
    ids = services.reminders_due()
    for reminder_id in ids:
        reminder_send.delay(reminder_id)
    return len(ids)


@shared_task(**RETRY)
def reminder_send(reminder_id: int) -> bool:
    return services.reminder_send(reminder_id=reminder_id)


@shared_task
def slots_extend() -> int:
    return services.slots_sync_all()
