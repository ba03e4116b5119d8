"""Worked ML system designs: content/designs/*.yaml, validated and cached per process.

They are study material, readable at any time, so unlike prompts they are not stored as
rows: nothing user-owned points at them. ``load_designs`` (registered with load_content)
only validates, so a broken file fails the load like any other content; errors name file,
entry and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from prep.lib.content import read_yaml_mapping, refuse, text_field

from .loader import DIMENSIONS

DESIGNS_DIR = Path(__file__).resolve().parent / "content" / "designs"
#: The seven phases, in the order the ML system design rubric scores them.
PHASES: tuple[str, ...] = DIMENSIONS["ml_system_design"]
FIELDS = {"slug", "title", "summary", "prompt", "tags", "numbers", "phases", "key_decision"}
FIELDS |= {"references"}


@dataclass(frozen=True)
class Design:
    slug: str
    title: str
    summary: str
    prompt: str
    tags: tuple[str, ...]
    numbers: tuple[tuple[str, str], ...]
    phases: dict[str, str]
    key_decision: str
    references: tuple[str, ...]

    def phase_list(self) -> list[tuple[str, str]]:
        return [(phase, self.phases[phase]) for phase in PHASES]


def parse_designs(directory: Path = DESIGNS_DIR) -> list[Design]:
    designs: list[Design] = []
    seen: set[str] = set()
    for file in sorted(directory.glob("*.yaml")):
        entries = read_yaml_mapping(file).get("designs")
        if not isinstance(entries, list) or not entries:
            refuse(file, "(file)", "designs", "must be a non-empty list")
        for n, raw in enumerate(entries):
            entry = f"design #{n + 1}"
            if not isinstance(raw, dict):
                refuse(file, entry, "(entry)", "must be a mapping")
            slug = text_field(file, entry, raw, "slug")
            entry = f"design {slug}"
            unknown = sorted(set(raw) - FIELDS)
            if unknown:
                refuse(file, entry, unknown[0], "unknown field")
            if slug in seen:
                refuse(file, entry, "slug", "appears twice")
            seen.add(slug)
            phases = raw.get("phases")
            if not isinstance(phases, dict):
                refuse(file, entry, "phases", f"must map each of {', '.join(PHASES)} to text")
            for phase in phases:
                if phase not in PHASES:
                    refuse(file, entry, f"phases.{phase}", "is not one of the seven phases")
            clean_phases = {}
            for phase in PHASES:
                clean_phases[phase] = text_field(file, f"{entry} phases", phases, phase)
            numbers = raw.get("numbers")
            if not isinstance(numbers, list) or not numbers:
                refuse(file, entry, "numbers", "must list the numbers that drive the design")
            clean_numbers = []
            for i, item in enumerate(numbers):
                if not isinstance(item, dict):
                    refuse(file, entry, f"numbers[{i}]", "must be {name, value}")
                clean_numbers.append(
                    (
                        text_field(file, f"{entry} numbers[{i}]", item, "name"),
                        text_field(file, f"{entry} numbers[{i}]", item, "value"),
                    )
                )
            references = raw.get("references")
            if not isinstance(references, list) or not references:
                refuse(file, entry, "references", "must list at least one checkable source")
            designs.append(
                Design(
                    slug=slug,
                    title=text_field(file, entry, raw, "title"),
                    summary=text_field(file, entry, raw, "summary"),
                    prompt=str(raw.get("prompt") or ""),
                    tags=tuple(raw.get("tags") or ()),
                    numbers=tuple(clean_numbers),
                    phases=clean_phases,
                    key_decision=text_field(file, entry, raw, "key_decision"),
                    references=tuple(str(r).strip() for r in references),
                )
            )
    return designs


@cache
def designs() -> tuple[Design, ...]:
    return tuple(parse_designs())


def design(slug: str) -> Design | None:
    return next((d for d in designs() if d.slug == slug), None)


def load_designs() -> str:
    """Validate the worked designs (they are served from the files, not stored)."""
    found = parse_designs()
    return f"{len(found)} worked designs validated"
