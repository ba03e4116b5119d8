"""What the curriculum tells anyone listening, without knowing who listens.

``progress_changed`` is sent after the transaction commits, with ``user_id``, whenever what a
user has done or planned changed: a progress report recorded or retracted, a plan item done,
reopened or skipped, a checklist ticked, the plan (re)configured from the profile. The
dashboard listens to keep the day's readiness figures and the reserved review load current,
so no page view has to write them.
"""

from __future__ import annotations

import contextlib
import threading
import weakref

from django.db import transaction
from django.dispatch import Signal

progress_changed = Signal()

# The sends waiting for a commit, per thread and user: a transaction that reports a hundred
# reviews (the demo seeder) announces once. Held weakly, so a send dropped by a rollback (Django
# lets go of its callbacks) is forgotten with it and the next report announces again.
_local = threading.local()


class _Send:
    def __init__(self, user_id: int):
        self.user_id = user_id

    def __call__(self) -> None:
        _waiting().pop(self.user_id, None)
        held = getattr(_local, "held", None)
        if held is not None:
            held.add(self.user_id)
            return
        progress_changed.send(sender=None, user_id=self.user_id)


def _waiting() -> weakref.WeakValueDictionary:
    if not hasattr(_local, "waiting"):
        _local.waiting = weakref.WeakValueDictionary()
    return _local.waiting


def announce(user_id: int) -> None:
    """Send ``progress_changed`` for ``user_id`` once the current transaction commits (once per
    transaction, however many changes it makes)."""
    waiting = _waiting()
    if waiting.get(user_id) is not None:
        return
    send = _Send(user_id)
    waiting[user_id] = send
    transaction.on_commit(send)


@contextlib.contextmanager
def announced_once():
    """Hold ``progress_changed`` within the block (this thread) and send it once per user at
    its end: for a batch job whose many transactions would each announce (the demo seeder's
    hundreds of reviews, each reported in its own transaction after the commit)."""
    if getattr(_local, "held", None) is not None:  # nested: the outer block sends
        yield
        return
    _local.held = set()
    try:
        yield
    finally:
        users, _local.held = _local.held, None
        for user_id in sorted(users):
            progress_changed.send(sender=None, user_id=user_id)
