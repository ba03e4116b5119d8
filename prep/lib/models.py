"""The one table of prep.lib: tasks that could not reach the broker."""

from __future__ import annotations

from django.db import models


class TaskOutbox(models.Model):
    """A task enqueued while the broker was unreachable (``prep.lib.outbox``); beat's
    ``outbox_drain`` sends it once the broker answers again, then deletes the row."""

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} (queued {self.created_at:%H:%M:%S})"
