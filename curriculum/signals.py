"""What the curriculum tells anyone listening, without knowing who listens.

``progress_changed`` is sent after the transaction commits, with ``user_id``, whenever what a
user has done or planned changed: a progress report recorded or retracted, a plan item done,
reopened or skipped, a checklist ticked, the plan (re)configured from the profile. The
dashboard listens to keep the day's readiness figures and the reserved review load current,
so no page view has to write them.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

progress_changed = Signal()


def announce(user_id: int) -> None:
    """Send ``progress_changed`` for ``user_id`` once the current transaction commits."""
    transaction.on_commit(lambda: progress_changed.send(sender=None, user_id=user_id))
