"""The registry behind ``manage.py load_content``, and what every loader shares.

Each app registers a loader for its catalogue content (problems, decks, prompts,
the curriculum) from its AppConfig.ready(); the command runs them in order inside
one transaction, so it knows no app and a failed load changes nothing. Loaders read
their YAML files with ``read_yaml_mapping`` and refuse bad content with ``refuse`` /
``text_field``, so every error names file, entry and field the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import yaml


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


def refuse(file: Path, entry: str, field: str, problem: str) -> NoReturn:
    """Refuse a content file: ``<file>: <entry>: field '<field>': <problem>``."""
    raise ValueError(f"{file.name}: {entry}: field {field!r}: {problem}")


def read_yaml_mapping(file: Path) -> dict:
    """A content file's top level, which must be a YAML mapping."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{file.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        refuse(file, "(file)", "(root)", "must be a mapping")
    return data


def text_field(file: Path, entry: str, raw: dict, key: str, *, required: bool = True) -> str:
    """``raw[key]`` stripped: non-empty text, or ``""`` when absent and not ``required``."""
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        refuse(file, entry, key, "must be non-empty text")
    return value.strip()
