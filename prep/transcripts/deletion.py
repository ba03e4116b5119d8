"""What deleting an account does to transcripts (Transcript.user's ``on_delete``).

A ``pre_delete`` signal on the user cannot do this: Django collects every row a delete will
cascade to *before* it sends any signal, so by then the owner's transcripts are already
doomed. An ``on_delete`` handler runs while that collection happens, so it can take the
shared transcripts out of it first.
"""

from __future__ import annotations

from django.db import models, transaction


def keep_shared_or_cascade(collector, field, sub_objs, using):
    """CASCADE, except transcripts shared with the other person of their booking.

    Those pass to that person without the deleted person's speech, and transcripts of
    other people's bookings lose the deleted person's speech
    (``services.transcripts_on_account_delete``). Runs once per batch of deleted users,
    even those who own no transcript (``lazy_sub_objs``).
    """
    from .services import transcripts_on_account_delete

    user_ids = [obj.pk for obj in collector.data.get(field.remote_field.model, ())]
    kept: list[int] = []
    if user_ids:
        with transaction.atomic(using=using):
            kept = transcripts_on_account_delete(user_ids=user_ids)
    if kept:
        sub_objs = sub_objs.exclude(pk__in=kept)
    models.CASCADE(collector, field, sub_objs, using)


keep_shared_or_cascade.lazy_sub_objs = True
