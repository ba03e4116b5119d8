"""Demo data for ``manage.py seed_demo``: one module per app, each with a builder
``func(user, *, days, rng) -> summary`` that writes through the app's own services, and
``bulk`` (``seed_demo --users N``), which writes every app's tables directly at scale.

The product never imports this package; it imports the apps.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

# The login ``seed_demo --small`` creates and ``make demo`` prints last (demo/serve.py).
DEMO_EMAIL = "demo@prep.local"
DEMO_PASSWORD = "prep-demo-password"


@dataclass(frozen=True)
class Seeder:
    name: str
    func: Callable[..., str]


# (app, builder), in the order they run: later builders see what earlier ones made
# (capture and transcripts hang their demo capture on a booking).
_BUILDERS = (
    ("flashcards", "seed_history"),
    ("mocks", "seed"),
    ("booking", "seed"),
    ("capture", "seed"),
    ("transcripts", "seed"),
    ("drills", "seed"),
)


def seeders() -> list[Seeder]:
    """The per-app demo builders, in order (imported on first use: they import models)."""
    return [
        Seeder(name, getattr(importlib.import_module(f"tooling.demo.{name}"), func))
        for name, func in _BUILDERS
    ]
