"""A user's data rights: export everything they own, delete the account with it.

The export walks every installed model with a foreign key to the user model (``user``,
``owner``, ``author``, ``host``, …), then the rows that hang off what it took and have no
user of their own (a solo mock's phase notes, a feedback's per-dimension scores, a
transcript's pins and phase marks), so a new app's data is exported without registering
anything. A model whose queryset has ``exported_for(user)`` decides its own rows (feedback:
only what its reveal rule lets the user read). Secrets — password hashes, token digests,
the secret tokens of feeds and invites — are left out.
"""

from __future__ import annotations

import datetime as dt
import json

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

SECRET_WORDS = ("password", "hash", "secret", "digest", "_token")
SKIP_MODELS = {"sessions.session", "admin.logentry", "account.emailconfirmation"}


def _user_fks(model) -> list[models.ForeignKey]:
    user_model = get_user_model()
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey | models.OneToOneField) and f.related_model is user_model
    ]


def _row(obj) -> dict:
    out = {}
    for field in obj._meta.concrete_fields:
        if any(word in field.name for word in SECRET_WORDS):
            continue
        value = field.value_from_object(obj)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        out[field.attname if field.is_relation else field.name] = value
    return out


def account_export(*, user) -> dict:
    """Everything the user owns, as plain JSON-ready data, grouped by model."""
    data: dict = {
        "exported_at": timezone.now().isoformat(),
        "site": settings.SITE_URL,
        "user": {"id": user.pk, "email": user.email, "date_joined": user.date_joined.isoformat()},
        "data": {},
    }
    taken: dict = {}  # model → exported primary keys
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP_MODELS or model is get_user_model():
            continue
        fks = _user_fks(model)
        if not fks:
            continue
        qs = model._default_manager.all()
        if hasattr(qs, "exported_for"):  # the model's own rule of what its user may take
            qs = qs.exported_for(user)
        else:
            query = models.Q()
            for fk in fks:
                query |= models.Q(**{fk.name: user})
            qs = qs.filter(query)
        rows = [_row(obj) for obj in qs.order_by("pk")]
        if rows:
            data["data"][label] = rows
            taken[model] = [row["id"] for row in rows]
    for model in apps.get_models():  # rows that belong to what was taken
        label = model._meta.label_lower
        if label in SKIP_MODELS or _user_fks(model):
            continue
        query = models.Q()
        for fk in model._meta.get_fields():
            if isinstance(fk, models.ForeignKey) and taken.get(fk.related_model):
                query |= models.Q(**{f"{fk.name}__in": taken[fk.related_model]})
        if query:
            rows = [_row(obj) for obj in model._default_manager.filter(query).order_by("pk")]
            if rows:
                data["data"][label] = rows
    return data


def account_export_json(*, user) -> str:
    return json.dumps(account_export(user=user), cls=DjangoJSONEncoder, indent=2)


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the user and everything they own (apps' on_delete rules decide shared data)."""
    get_user_model().objects.filter(pk=user.pk).delete()
