"""Tasks are never lost to a broker outage.

Every task of the app is an ``OutboxTask`` (``prep/celery.py``): when publishing to the
broker fails, the task is written to the ``TaskOutbox`` table with a logged warning
instead of raising into the request, and beat's ``prep.lib.tasks.outbox_drain`` (every
``OUTBOX_DRAIN_SECONDS``) sends what is kept once the broker answers again. Tasks are
idempotent (house rule), so a drain that dies half-way and sends a row twice is harmless.
"""

from __future__ import annotations

import logging

from celery.contrib.django.task import DjangoTask

log = logging.getLogger("prep.outbox")


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError

    errors: list[type[BaseException]] = [OperationalError, OSError]
    try:
        import redis

        errors.append(redis.exceptions.RedisError)
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return tuple(errors)


class OutboxTask(DjangoTask):
    def apply_async(self, args=None, kwargs=None, **options):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, **options)
        try:
            return super().apply_async(args, kwargs, **options)
        except _broker_errors() as exc:
            from .models import TaskOutbox

            log.warning("broker unreachable (%s): %s kept in the outbox", exc, self.name)
            TaskOutbox.objects.create(name=self.name, args=list(args or ()), kwargs=kwargs or {})
            return None


def outbox_drain(*, limit: int = 500) -> int:
    """Send the kept tasks, oldest first; stop at the first that still cannot be sent."""
    from celery import current_app

    from .models import TaskOutbox

    sent = 0
    for row in TaskOutbox.objects.order_by("id")[:limit]:
        task = current_app.tasks.get(row.name)
        if task is None:
            log.error("outbox: unknown task %s dropped", row.name)
            row.delete()
            continue
        try:
            super(OutboxTask, task).apply_async(row.args, row.kwargs)
        except _broker_errors():
            TaskOutbox.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            break
        row.delete()
        sent += 1
    return sent
