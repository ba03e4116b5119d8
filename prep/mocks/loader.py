"""The mocks catalogue: prompts and rubrics read from prep/mocks/content and stored as rows.

``parse()`` validates the files (errors name file, entry and field); ``load()`` stores them
idempotently: rows are updated in place by slug (prompts) or kind (rubrics), prompts that
left the content are retired, and no user state (mocks, notes, feedback) is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from prep.lib.content import read_yaml_mapping, refuse, sync_catalogue, text_field

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


def _str_list(file, entry, data, key, *, min_items=1) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or len(value) < min_items:
        refuse(file, entry, key, f"must be a list of at least {min_items} item(s)")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            refuse(file, entry, f"{key}[{i}]", "must be non-empty text")
    return [item.strip() for item in value]


def parse_rubrics(file: Path) -> list[dict]:
    data = read_yaml_mapping(file)
    entries = data.get("rubrics")
    if not isinstance(entries, list):
        refuse(file, "(file)", "rubrics", "must be a list")
    version = int(data.get("version", 1))
    rubrics, seen = [], set()
    for n, raw in enumerate(entries):
        entry = f"rubric #{n + 1}"
        if not isinstance(raw, dict):
            refuse(file, entry, "(entry)", "must be a mapping")
        kind = raw.get("kind")
        if kind not in DIMENSIONS:
            refuse(file, entry, "kind", f"{kind!r} is not a mock kind ({', '.join(DIMENSIONS)})")
        entry = f"rubric {kind}"
        if kind in seen:
            refuse(file, entry, "kind", "appears twice")
        seen.add(kind)
        phases = raw.get("phases")
        if not isinstance(phases, list) or not phases:
            refuse(file, entry, "phases", "must be a non-empty list")
        clean_phases, phase_slugs = [], set()
        for i, phase in enumerate(phases):
            where = f"phases[{i}]"
            if not isinstance(phase, dict):
                refuse(file, entry, where, "must be a mapping")
            slug = text_field(file, entry, phase, "slug")
            if slug in phase_slugs:
                refuse(file, entry, f"{where}.slug", f"{slug!r} appears twice")
            phase_slugs.add(slug)
            minutes = phase.get("minutes")
            if not isinstance(minutes, int) or not 1 <= minutes <= 120:
                refuse(file, entry, f"{where}.minutes", "must be a whole number from 1 to 120")
            clean_phases.append(
                {
                    "slug": slug,
                    "title": text_field(file, entry, phase, "title"),
                    "minutes": minutes,
                    "cue": text_field(file, entry, phase, "cue", required=False),
                }
            )
        dims = raw.get("dimensions")
        if not isinstance(dims, list):
            refuse(file, entry, "dimensions", "must be a list")
        slugs = [d.get("slug") if isinstance(d, dict) else None for d in dims]
        if tuple(slugs) != DIMENSIONS[kind]:
            refuse(
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
                refuse(file, entry, f"{where}.signals", "must give a signal for each score 1-4")
            for score in SCORES:
                if not isinstance(signals[score], str) or not signals[score].strip():
                    refuse(file, entry, f"{where}.signals.{score}", "must be non-empty text")
            clean_dims.append(
                {
                    "slug": dim["slug"],
                    "title": text_field(file, entry, dim, "title"),
                    "question": text_field(file, entry, dim, "question"),
                    "signals": {str(s): signals[s].strip() for s in SCORES},
                }
            )
        rubrics.append(
            {
                "kind": kind,
                "title": text_field(file, entry, raw, "title"),
                "phases": clean_phases,
                "dimensions": clean_dims,
                "content_version": version,
            }
        )
    missing = set(DIMENSIONS) - seen
    if missing:
        refuse(file, "(file)", "rubrics", f"missing the rubric for {', '.join(sorted(missing))}")
    return rubrics


def parse_prompts(file: Path) -> list[dict]:
    data = read_yaml_mapping(file)
    kind = data.get("kind")
    if kind not in MockKind.values:
        refuse(file, "(file)", "kind", f"{kind!r} is not a mock kind")
    entries = data.get("prompts")
    if not isinstance(entries, list) or not entries:
        refuse(file, "(file)", "prompts", "must be a non-empty list")
    prompts = []
    for n, raw in enumerate(entries):
        entry = f"prompt #{n + 1}"
        if not isinstance(raw, dict):
            refuse(file, entry, "(entry)", "must be a mapping")
        slug = text_field(file, entry, raw, "slug")
        entry = f"prompt {slug}"
        if not slug.replace("-", "").replace("_", "").isalnum() or len(slug) > 80:
            refuse(file, entry, "slug", "must be letters, digits, - and _ (at most 80)")
        notes = raw.get("interviewer_notes")
        if not isinstance(notes, dict):
            refuse(file, entry, "interviewer_notes", "must be a mapping of probe/follow_ups/...")
        unknown = set(notes) - set(NOTE_SECTIONS)
        if unknown:
            refuse(file, entry, "interviewer_notes", f"unknown section(s) {sorted(unknown)}")
        clean_notes = {section: _str_list(file, entry, notes, section) for section in NOTE_SECTIONS}
        clean_notes["rubric"] = _rubric_notes(file, entry, raw, kind)
        tags = raw.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            refuse(file, entry, "tags", "must be a list of strings")
        prompts.append(
            {
                "slug": slug,
                "kind": kind,
                "title": text_field(file, entry, raw, "title"),
                "brief": text_field(file, entry, raw, "brief"),
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
        refuse(file, entry, "rubric_notes", "must be a mapping of rubric dimension to text")
    unknown = [key for key in notes if key not in DIMENSIONS[kind]]
    if unknown:
        refuse(
            file,
            entry,
            f"rubric_notes.{unknown[0]}",
            f"is not a {kind} rubric dimension ({', '.join(DIMENSIONS[kind])})",
        )
    clean = {}
    for dim in DIMENSIONS[kind]:
        if dim in notes:
            clean[dim] = text_field(file, entry, notes, dim)
    return clean


def parse(base: Path = CONTENT_DIR) -> Catalogue:
    """Read and validate every content file under ``base``."""
    catalogue = Catalogue(rubrics=parse_rubrics(base / "rubrics.yaml"))
    seen: dict[str, Path] = {}
    for file in sorted((base / "prompts").glob("*.yaml")):
        for prompt in parse_prompts(file):
            if prompt["slug"] in seen:
                refuse(
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
