"""The one public lookup: which FSRS parameters schedule ``user``'s reviews of ``kind``.

Any app scheduling with FSRS (flashcards, drills re-solves, and whatever reuses them) calls
``parameters_for(user, "flashcards" | "drills")``; it answers the FSRS defaults until the
user adopts their own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .fit import DEFAULT_PARAMETERS, is_valid


def as_parameters(value) -> tuple[float, ...]:
    """Stored parameters (JSON text, a list, or None) as a tuple; None → the defaults."""
    if isinstance(value, (str, bytes)):
        value = json.loads(value)
    if not value:
        return DEFAULT_PARAMETERS
    parameters = tuple(float(w) for w in value)
    return parameters if is_valid(parameters) else DEFAULT_PARAMETERS


def parameters_for(user, kind: str) -> tuple[float, ...]:
    """The user's FSRS parameters for ``kind`` (one query)."""
    from .models import MemoryProfile

    stored = (
        MemoryProfile.objects.filter(user=user, kind=kind)
        .values_list("parameters", flat=True)
        .first()
    )
    return as_parameters(stored)


def same(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 1e-9 for x, y in zip(a, b, strict=True))
