"""The behavioural bank and the company-loop profiles: content/*.yaml, validated, cached.

Both are read-only catalogue content served from the files (nothing user-owned points at
a row of them: a story stores competency slugs). ``load`` (registered with load_content)
validates them so a broken file fails the load; errors name file, entry and field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from prep.lib.content import read_yaml_mapping, refuse, text_field

CONTENT_DIR = Path(__file__).resolve().parent / "content"
QUESTIONS_FILE = CONTENT_DIR / "questions.yaml"
COMPANIES_FILE = CONTENT_DIR / "companies.yaml"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
ROLES = ("research", "mle", "applied", "all")
KINDS = ("lab", "big_tech", "product")


@dataclass(frozen=True)
class Competency:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Question:
    competency: str
    text: str
    ml: bool


@dataclass(frozen=True)
class Bank:
    competencies: tuple[Competency, ...]
    questions: tuple[Question, ...]

    def by_competency(self) -> list[tuple[Competency, list[Question]]]:
        return [
            (c, [q for q in self.questions if q.competency == c.slug]) for c in self.competencies
        ]


@dataclass(frozen=True)
class Round:
    title: str
    weighs: str
    roles: tuple[str, ...]
    verified: bool
    source: int


@dataclass(frozen=True)
class Company:
    slug: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    as_of: dt.date
    summary: str
    rounds: tuple[Round, ...]
    sources: tuple[tuple[str, str], ...]
    unverified: str

    def names(self) -> set[str]:
        return {normalise(self.name), normalise(self.slug), *(normalise(a) for a in self.aliases)}

    def rounds_for(self, role: str | None) -> list[Round]:
        return [r for r in self.rounds if "all" in r.roles or role is None or role in r.roles]


def normalise(name: str) -> str:
    """A company name as matching sees it: case-insensitive, spacing and dashes ignored."""
    return re.sub(r"[\s\-_.]+", " ", name.strip().casefold()).strip()


def parse_questions(file: Path = QUESTIONS_FILE) -> Bank:
    data = read_yaml_mapping(file)
    competencies, seen = [], set()
    for n, raw in enumerate(data.get("competencies") or []):
        entry = f"competency #{n + 1}"
        if not isinstance(raw, dict):
            refuse(file, entry, "(entry)", "must be a mapping")
        slug = text_field(file, entry, raw, "slug")
        if not SLUG_RE.match(slug) or slug in seen:
            refuse(file, entry, "slug", f"{slug!r} must be a unique slug")
        seen.add(slug)
        competencies.append(
            Competency(
                slug,
                text_field(file, entry, raw, "name"),
                text_field(file, entry, raw, "description"),
            )
        )
    if not competencies:
        refuse(file, "(file)", "competencies", "must be a non-empty list")
    questions = []
    for n, raw in enumerate(data.get("questions") or []):
        entry = f"question #{n + 1}"
        if not isinstance(raw, dict):
            refuse(file, entry, "(entry)", "must be a mapping")
        competency = text_field(file, entry, raw, "competency")
        if competency not in seen:
            refuse(file, entry, "competency", f"unknown competency {competency!r}")
        ml = raw.get("ml", False)
        if not isinstance(ml, bool):
            refuse(file, entry, "ml", "must be true or false")
        questions.append(Question(competency, text_field(file, entry, raw, "text"), ml))
    if not questions:
        refuse(file, "(file)", "questions", "must be a non-empty list")
    return Bank(tuple(competencies), tuple(questions))


def parse_companies(file: Path = COMPANIES_FILE) -> list[Company]:
    data = read_yaml_mapping(file)
    entries = data.get("companies")
    if not isinstance(entries, list) or not entries:
        refuse(file, "(file)", "companies", "must be a non-empty list")
    companies, seen_slugs, seen_names = [], set(), {}
    for n, raw in enumerate(entries):
        entry = f"company #{n + 1}"
        if not isinstance(raw, dict):
            refuse(file, entry, "(entry)", "must be a mapping")
        slug = text_field(file, entry, raw, "slug")
        entry = f"company {slug}"
        if not SLUG_RE.match(slug) or slug in seen_slugs:
            refuse(file, entry, "slug", "must be a unique slug")
        seen_slugs.add(slug)
        kind = raw.get("kind")
        if kind not in KINDS:
            refuse(file, entry, "kind", f"must be one of {', '.join(KINDS)}")
        as_of = raw.get("as_of")
        try:
            as_of = dt.date.fromisoformat(str(as_of))
        except ValueError:
            refuse(file, entry, "as_of", f"must be a date YYYY-MM-DD, got {as_of!r}")
        sources = raw.get("sources")
        if not isinstance(sources, list) or not sources:
            refuse(file, entry, "sources", "must list at least one source with a URL")
        clean_sources = []
        for i, src in enumerate(sources):
            where = f"sources[{i}]"
            if not isinstance(src, dict):
                refuse(file, entry, where, "must be {title, url}")
            url = text_field(file, entry, src, "url")
            if not url.startswith("https://"):
                refuse(file, entry, f"{where}.url", "must be an https:// URL")
            clean_sources.append((text_field(file, entry, src, "title"), url))
        rounds = []
        for i, r in enumerate(raw.get("rounds") or []):
            where = f"rounds[{i}]"
            if not isinstance(r, dict):
                refuse(file, entry, where, "must be a mapping")
            roles = r.get("roles")
            if not isinstance(roles, list) or not roles or any(x not in ROLES for x in roles):
                refuse(file, entry, f"{where}.roles", f"must be a list of {', '.join(ROLES)}")
            if not isinstance(r.get("verified"), bool):
                refuse(file, entry, f"{where}.verified", "must be true or false")
            source = r.get("source")
            if not isinstance(source, int) or not 1 <= source <= len(clean_sources):
                refuse(file, entry, f"{where}.source", "must be the number of one of the sources")
            rounds.append(
                Round(
                    title=text_field(file, entry, r, "title"),
                    weighs=text_field(file, entry, r, "weighs"),
                    roles=tuple(roles),
                    verified=r["verified"],
                    source=source,
                )
            )
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            refuse(file, entry, "aliases", "must be a list of names")
        company = Company(
            slug=slug,
            name=text_field(file, entry, raw, "name"),
            aliases=tuple(aliases),
            kind=kind,
            as_of=as_of,
            summary=text_field(file, entry, raw, "summary"),
            rounds=tuple(rounds),
            sources=tuple(clean_sources),
            unverified=text_field(file, entry, raw, "unverified", required=False),
        )
        for name in company.names():
            if name in seen_names:
                refuse(file, entry, "aliases", f"{name!r} also names {seen_names[name]}")
            seen_names[name] = slug
        companies.append(company)
    return companies


@cache
def bank() -> Bank:
    return parse_questions()


@cache
def companies() -> tuple[Company, ...]:
    return tuple(parse_companies())


def match_companies(names: list[str]) -> list[tuple[str, Company | None]]:
    """Each target company name with its profile (by name or alias, case-insensitive)."""
    index = {name: c for c in companies() for name in c.names()}
    return [(name, index.get(normalise(name))) for name in names]


def company(slug: str) -> Company | None:
    return next((c for c in companies() if c.slug == slug), None)


def load() -> str:
    """Validate the bank and the profiles (served from the files, not stored)."""
    found = parse_questions()
    profiles = parse_companies()
    return (
        f"{len(found.questions)} behavioural questions in {len(found.competencies)} "
        f"competencies, {len(profiles)} company profiles validated"
    )
