"""Reads of the memory page."""

from __future__ import annotations

from dataclasses import dataclass

from . import fit
from .models import Kind, MemoryProfile, Optimisation, ParameterVersion
from .parameters import as_parameters
from .registry import source_for
from .services import offered_again


@dataclass
class KindPanel:
    kind: str
    label: str
    noun: str
    usable: int
    minimum: int
    profile: MemoryProfile
    run: Optimisation | None
    versions: list[ParameterVersion]
    offered: bool
    parameters: tuple[float, ...]

    @property
    def enough(self) -> bool:
        return self.usable >= self.minimum

    @property
    def missing(self) -> int:
        return max(0, self.minimum - self.usable)


def panel(user, kind: str) -> KindPanel:
    source = source_for(kind)
    profile = MemoryProfile.objects.filter(user=user, kind=kind).first() or MemoryProfile(
        user=user, kind=kind
    )
    usable = source.usable_reviews(user)
    return KindPanel(
        kind=kind,
        label=Kind(kind).label,
        noun=source.noun,
        usable=usable,
        minimum=fit.MIN_REVIEWS,
        profile=profile,
        run=Optimisation.objects.filter(user=user, kind=kind)
        .order_by("-created_at", "-pk")
        .first(),
        versions=list(
            ParameterVersion.objects.filter(user=user, kind=kind).order_by("-number")[:20]
        ),
        offered=offered_again(profile, usable),
        parameters=as_parameters(profile.parameters),
    )


def panels(user) -> list[KindPanel]:
    return [panel(user, kind) for kind in Kind.values]
