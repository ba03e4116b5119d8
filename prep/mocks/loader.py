"""The mocks catalogue: prompts and rubrics read from prep/mocks/content and stored as rows.

``parse()`` validates the files (errors name file, entry and field); ``load()`` stores them
idempotently: rows are updated in place by slug (prompts) or kind (rubrics), prompts that
left the content are retired, and no user state (mocks, notes, feedback) is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from prep.lib.content import sync_catalogue

from .models import MockKind

CONTENT_DIR = Path(__file__).resolve().parent / "content"

#: The rubric dimensions of each mock kind, exactly as ARCHITECTURE.md's vocabulary names them, in order.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "ml_system_design": (
        "framing",
        "metrics",
        "data",
        "model",
        "serving",
        "monitoring",
        "iteration",
    ),
    "coding": ("communication", "problem_solving", "technical_competency", "testing"),
    "behavioral": ("structure", "ownership", "impact", "reflection"),
    "research_discussion": ("depth", "critique", "connections", "communication"),
    "business_case": ("framing", "ml_fit", "metrics", "risks", "communication"),
}
SCORES = (1, 2, 3, 4)
NOTE_SECTIONS = ("probe", "follow_ups", "strong_answer")


@dataclass
class Catalogue:
    rubrics: list[dict] = field(default_factory=list)
    prompts: list[dict] = field(default_factory=list)


def _name(file: Path) -> str:
    """The file as the error names it: relative to the project when it is inside it."""
    try:
        return str(file.resolve().relative_to(CONTENT_DIR.parents[2]))
    except ValueError:
        return str(file)


def _fail(file: Path, entry: str, fieldname: str, problem: str):
    raise ValueError(f"{_name(file)}: {entry}: {fieldname}: {problem}")


def _text(file, entry, data, key, *, required=True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        _fail(file, entry, key, "must be a non-empty string")
    return value.strip()


def _str_list(file, entry, data, key, *, min_items=1) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or len(value) < min_items:
        _fail(file, entry, key, f"must be a list of at least {min_items} item(s)")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            _fail(file, entry, f"{key}[{i}]", "must be a non-empty string")
    return [item.strip() for item in value]


def _read(file: Path) -> dict:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{_name(file)}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        _fail(file, "(file)", "(root)", "must be a mapping")
    return data


def parse_rubrics(file: Path) -> list[dict]:
    data = _read(file)
    entries = data.get("rubrics")
    if not isinstance(entries, list):
        _fail(file, "(file)", "rubrics", "must be a list")
    version = int(data.get("version", 1))
    rubrics, seen = [], set()
    for n, raw in enumerate(entries):
        entry = f"rubric #{n + 1}"
        if not isinstance(raw, dict):
            _fail(file, entry, "(entry)", "must be a mapping")
        kind = raw.get("kind")
        if kind not in DIMENSIONS:
            _fail(file, entry, "kind", f"{kind!r} is not a mock kind ({', '.join(DIMENSIONS)})")
        entry = f"rubric {kind}"
        if kind in seen:
            _fail(file, entry, "kind", "appears twice")
        seen.add(kind)
        phases = raw.get("phases")
        if not isinstance(phases, list) or not phases:
            _fail(file, entry, "phases", "must be a non-empty list")
        clean_phases, phase_slugs = [], set()
        for i, phase in enumerate(phases):
            where = f"phases[{i}]"
            if not isinstance(phase, dict):
                _fail(file, entry, where, "must be a mapping")
            slug = _text(file, entry, phase, "slug")
            if slug in phase_slugs:
                _fail(file, entry, f"{where}.slug", f"{slug!r} appears twice")
            phase_slugs.add(slug)
            minutes = phase.get("minutes")
            if not isinstance(minutes, int) or not 1 <= minutes <= 120:
                _fail(file, entry, f"{where}.minutes", "must be a whole number from 1 to 120")
            clean_phases.append(
                {
                    "slug": slug,
                    "title": _text(file, entry, phase, "title"),
                    "minutes": minutes,
                    "cue": _text(file, entry, phase, "cue", required=False),
                }
            )
        dims = raw.get("dimensions")
        if not isinstance(dims, list):
            _fail(file, entry, "dimensions", "must be a list")
        slugs = [d.get("slug") if isinstance(d, dict) else None for d in dims]
        if tuple(slugs) != DIMENSIONS[kind]:
            _fail(
                file,
                entry,
                "dimensions",
                f"must be exactly {', '.join(DIMENSIONS[kind])} in that order (got {slugs})",
            )
        clean_dims = []
        for dim in dims:
            where = f"dimension {dim['slug']}"
            signals = dim.get("signals")
            if not isinstance(signals, dict) or set(signals) != set(SCORES):
                _fail(file, entry, f"{where}.signals", "must give a signal for each score 1-4")
            for score in SCORES:
                if not isinstance(signals[score], str) or not signals[score].strip():
                    _fail(file, entry, f"{where}.signals.{score}", "must be a non-empty string")
            clean_dims.append(
                {
                    "slug": dim["slug"],
                    "title": _text(file, entry, dim, "title"),
                    "question": _text(file, entry, dim, "question"),
                    "signals": {str(s): signals[s].strip() for s in SCORES},
                }
            )
        rubrics.append(
            {
                "kind": kind,
                "title": _text(file, entry, raw, "title"),
                "phases": clean_phases,
                "dimensions": clean_dims,
                "content_version": version,
            }
        )
    missing = set(DIMENSIONS) - seen
    if missing:
        _fail(file, "(file)", "rubrics", f"missing the rubric for {', '.join(sorted(missing))}")
    return rubrics


def parse_prompts(file: Path) -> list[dict]:
    data = _read(file)
    kind = data.get("kind")
    if kind not in MockKind.values:
        _fail(file, "(file)", "kind", f"{kind!r} is not a mock kind")
    entries = data.get("prompts")
    if not isinstance(entries, list) or not entries:
        _fail(file, "(file)", "prompts", "must be a non-empty list")
    prompts = []
    for n, raw in enumerate(entries):
        entry = f"prompt #{n + 1}"
        if not isinstance(raw, dict):
            _fail(file, entry, "(entry)", "must be a mapping")
        slug = _text(file, entry, raw, "slug")
        entry = f"prompt {slug}"
        if not slug.replace("-", "").replace("_", "").isalnum() or len(slug) > 80:
            _fail(file, entry, "slug", "must be letters, digits, - and _ (at most 80)")
        notes = raw.get("interviewer_notes")
        if not isinstance(notes, dict):
            _fail(file, entry, "interviewer_notes", "must be a mapping of probe/follow_ups/...")
        unknown = set(notes) - set(NOTE_SECTIONS)
        if unknown:
            _fail(file, entry, "interviewer_notes", f"unknown section(s) {sorted(unknown)}")
        clean_notes = {section: _str_list(file, entry, notes, section) for section in NOTE_SECTIONS}
        clean_notes["rubric"] = _rubric_notes(file, entry, raw, kind)
        tags = raw.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            _fail(file, entry, "tags", "must be a list of strings")
        prompts.append(
            {
                "slug": slug,
                "kind": kind,
                "title": _text(file, entry, raw, "title"),
                "brief": _text(file, entry, raw, "brief"),
                "tags": tags,
                "interviewer_notes": clean_notes,
                "checklist": _str_list(file, entry, raw, "checklist", min_items=3),
            }
        )
    return prompts


def _rubric_notes(file, entry, raw, kind) -> dict[str, str]:
    """``rubric_notes``: what the interviewer listens for on each rubric dimension of the kind."""
    notes = raw.get("rubric_notes", {})
    if not isinstance(notes, dict):
        _fail(file, entry, "rubric_notes", "must be a mapping of rubric dimension to text")
    unknown = [key for key in notes if key not in DIMENSIONS[kind]]
    if unknown:
        _fail(
            file,
            entry,
            f"rubric_notes.{unknown[0]}",
            f"is not a {kind} rubric dimension ({', '.join(DIMENSIONS[kind])})",
        )
    clean = {}
    for dim in DIMENSIONS[kind]:
        if dim in notes:
            clean[dim] = _text(file, entry, notes, dim)
    return clean


def parse(base: Path = CONTENT_DIR) -> Catalogue:
    """Read and validate every content file under ``base``."""
    catalogue = Catalogue(rubrics=parse_rubrics(base / "rubrics.yaml"))
    seen: dict[str, Path] = {}
    for file in sorted((base / "prompts").glob("*.yaml")):
        for prompt in parse_prompts(file):
            if prompt["slug"] in seen:
                _fail(
                    file,
                    f"prompt {prompt['slug']}",
                    "slug",
                    f"also used in {seen[prompt['slug']].name}",
                )
            seen[prompt["slug"]] = file
            catalogue.prompts.append(prompt)
    return catalogue


@transaction.atomic
def load(base: Path = CONTENT_DIR) -> str:
    """Store the catalogue (idempotent): update in place, retire removed prompts."""
    from .models import Prompt, Rubric

    parsed = parse(base)
    rubrics = sync_catalogue(
        Rubric,
        "kind",
        [(d["kind"], {k: v for k, v in d.items() if k != "kind"}) for d in parsed.rubrics],
        retire=False,
    )
    rows, positions = [], {}
    for data in parsed.prompts:
        positions[data["kind"]] = positions.get(data["kind"], 0) + 1
        values = {**data, "position": positions[data["kind"]], "retired_at": None}
        rows.append((values.pop("slug"), values))
    prompts = sync_catalogue(Prompt, "slug", rows, retire=True)
    return (
        f"{len(parsed.prompts)} prompts ({prompts.created} new, {prompts.updated} updated, "
        f"{prompts.retired} retired), {len(parsed.rubrics)} rubrics "
        f"({rubrics.created + rubrics.updated} changed)"
    )
