"""The registry behind ``manage.py load_content``.

Each app registers a loader for its catalogue content (problems, decks, prompts,
the curriculum) from its AppConfig.ready(); the command runs them in order inside
one transaction, so it knows no app and a failed load changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ContentLoader:
    name: str
    func: Callable[[], str]  # returns a one-line summary of what it did
    order: int


_LOADERS: dict[str, ContentLoader] = {}


def register_loader(name: str, func: Callable[[], str], *, order: int = 100) -> None:
    """Register (or replace) the loader called ``name``. Lower ``order`` runs first."""
    _LOADERS[name] = ContentLoader(name=name, func=func, order=order)


def loaders() -> list[ContentLoader]:
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.name))


@dataclass(frozen=True)
class Synced:
    created: int
    updated: int
    retired: int


def sync_catalogue(model, key: str, rows: Iterable[tuple[str, dict]], *, retire: bool) -> Synced:
    """Store catalogue ``rows`` (``(key value, field values)``) in ``model`` the way every
    loader must: a new key is created, a changed row is updated in place (its id, and so
    every user's reference to it, stays), an unchanged one is not written; with ``retire``,
    a stored row whose key is gone gets ``retired_at`` (never deleted). Idempotent."""
    from django.utils import timezone

    existing = {getattr(row, key): row for row in model.objects.all()}
    created = updated = retired = 0
    for key_value, values in rows:
        row = existing.pop(key_value, None)
        if row is None:
            model.objects.create(**{key: key_value}, **values)
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            updated += 1
    if retire:
        now = timezone.now()
        for row in existing.values():
            if row.retired_at is None:
                row.retired_at = now
                row.save(update_fields=["retired_at"])
                retired += 1
    return Synced(created, updated, retired)
