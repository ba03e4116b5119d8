"""A user's data rights: export everything they own, delete the account with it.

The export walks every installed model with a foreign key to the user model (``user``,
``owner``, ``author``, ``host``, …), so a new app's data is exported without registering
anything; secrets (password and token hashes) are left out.
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

SECRET_WORDS = ("password", "hash", "secret", "token_digest", "key_digest")
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
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP_MODELS or model is get_user_model():
            continue
        fks = _user_fks(model)
        if not fks:
            continue
        query = models.Q()
        for fk in fks:
            query |= models.Q(**{fk.name: user})
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
