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

import yaml

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


def _fail(file: Path, entry: str, field: str, problem: str):
    raise ValueError(f"{file.name}: {entry}: field {field!r}: {problem}")


def _text(file, entry, raw, key) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(file, entry, key, "must be non-empty text")
    return value.strip()


def parse_designs(directory: Path = DESIGNS_DIR) -> list[Design]:
    designs: list[Design] = []
    seen: set[str] = set()
    for file in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(f"{file.name}: not valid YAML: {exc}") from exc
        entries = data.get("designs") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            _fail(file, "(file)", "designs", "must be a non-empty list")
        for n, raw in enumerate(entries):
            entry = f"design #{n + 1}"
            if not isinstance(raw, dict):
                _fail(file, entry, "(entry)", "must be a mapping")
            slug = _text(file, entry, raw, "slug")
            entry = f"design {slug}"
            unknown = sorted(set(raw) - FIELDS)
            if unknown:
                _fail(file, entry, unknown[0], "unknown field")
            if slug in seen:
                _fail(file, entry, "slug", "appears twice")
            seen.add(slug)
            phases = raw.get("phases")
            if not isinstance(phases, dict):
                _fail(file, entry, "phases", f"must map each of {', '.join(PHASES)} to text")
            for phase in phases:
                if phase not in PHASES:
                    _fail(file, entry, f"phases.{phase}", "is not one of the seven phases")
            clean_phases = {}
            for phase in PHASES:
                clean_phases[phase] = _text(file, f"{entry} phases", phases, phase)
            numbers = raw.get("numbers")
            if not isinstance(numbers, list) or not numbers:
                _fail(file, entry, "numbers", "must list the numbers that drive the design")
            clean_numbers = []
            for i, item in enumerate(numbers):
                if not isinstance(item, dict):
                    _fail(file, entry, f"numbers[{i}]", "must be {name, value}")
                clean_numbers.append(
                    (
                        _text(file, f"{entry} numbers[{i}]", item, "name"),
                        _text(file, f"{entry} numbers[{i}]", item, "value"),
                    )
                )
            references = raw.get("references")
            if not isinstance(references, list) or not references:
                _fail(file, entry, "references", "must list at least one checkable source")
            designs.append(
                Design(
                    slug=slug,
                    title=_text(file, entry, raw, "title"),
                    summary=_text(file, entry, raw, "summary"),
                    prompt=str(raw.get("prompt") or ""),
                    tags=tuple(raw.get("tags") or ()),
                    numbers=tuple(clean_numbers),
                    phases=clean_phases,
                    key_decision=_text(file, entry, raw, "key_decision"),
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
