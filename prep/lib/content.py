"""The registry behind ``manage.py load_content``.

Each app registers a loader for its catalogue content (problems, decks, prompts,
the curriculum) from its AppConfig.ready(); the command runs them in order inside
one transaction, so it knows no app and a failed load changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
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


# --- Demo data --------------------------------------------------------------------------
_SEEDERS: dict[str, ContentLoader] = {}


def register_seeder(name: str, func: Callable[..., str], *, order: int = 100) -> None:
    """Register demo-data builder ``func(user, *, days, rng) -> summary`` for seed_demo."""
    _SEEDERS[name] = ContentLoader(name=name, func=func, order=order)


def seeders() -> list[ContentLoader]:
    return sorted(_SEEDERS.values(), key=lambda seeder: (seeder.order, seeder.name))
