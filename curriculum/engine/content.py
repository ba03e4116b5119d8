"""Load and validate the curriculum content (``curriculum/content/*.yaml``).

The content is data: role types with their round mix, modules and one plan template per
role. ``load_content()`` reads the package directory, ``parse_content()`` takes already
parsed documents (for tests and tools). Both return a :class:`Content` made of frozen
dataclasses, or raise :class:`ContentError` listing every problem found; each problem names
the file, the entry and the field, e.g.::

    modules.yaml: module 'sw-basics': field 'area': unknown area 'codng'

Nothing here imports Django: the site's loader (``manage.py load_content``) reads
``Content.roles``, ``Content.modules`` (in file order) and ``Content.templates`` and uses
``Content.version`` / ``Content.checksum`` to store them idempotently.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curriculum.roles import AREAS, PROGRESS_KINDS, ROLE_SLUGS, ROLES_BY_SLUG

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

ROLES_FILE = "roles.yaml"
MODULES_FILE = "modules.yaml"
TEMPLATES_FILE = "templates.yaml"
CONTENT_FILES: tuple[str, ...] = (ROLES_FILE, MODULES_FILE, TEMPLATES_FILE)

MODULE_KINDS: tuple[str, ...] = (
    "study",
    "practice",
    "drills",
    "deck",
    "mock",
    "checklist",
    "review",
)
WEEKS: tuple[int, ...] = (1, 2, 3, 4)

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_URL_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*:[A-Za-z_][A-Za-z0-9_-]*$")
_PROBLEM_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(ValueError):
    """The content is invalid. ``errors`` lists every problem, one line each."""

    def __init__(self, errors: list[str] | tuple[str, ...]):
        self.errors: tuple[str, ...] = tuple(errors)
        super().__init__("\n".join(self.errors))


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class EventsRule:
    """Complete when ``count`` events of kind ``event`` carrying all ``tags`` were reported."""

    event: str
    tags: tuple[str, ...]
    count: int

    @property
    def type(self) -> str:
        return "events"

    def as_dict(self) -> dict[str, Any]:
        return {"type": "events", "event": self.event, "tags": list(self.tags), "count": self.count}


@dataclass(frozen=True, slots=True)
class ChecklistRule:
    """Complete when every item is ticked."""

    items: tuple[str, ...]

    @property
    def type(self) -> str:
        return "checklist"

    def as_dict(self) -> dict[str, Any]:
        return {"type": "checklist", "items": list(self.items)}


CompletionRule = EventsRule | ChecklistRule


@dataclass(frozen=True, slots=True)
class Round:
    title: str
    area: str
    description: str


@dataclass(frozen=True, slots=True)
class Role:
    slug: str
    name: str
    summary: str
    areas: tuple[str, ...]
    rounds: tuple[Round, ...]


@dataclass(frozen=True, slots=True)
class Module:
    slug: str
    title: str
    description: str
    kind: str
    area: str
    minutes: int
    roles: tuple[str, ...]
    week: int
    priority: int
    prerequisites: tuple[str, ...]
    url_name: str
    url_query: str
    completion: CompletionRule
    #: LeetCode slugs of the coding problems the description names (checked against the
    #: drills bank by ``manage.py content_report``; the engine only checks their form).
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Theme:
    week: int
    title: str


@dataclass(frozen=True, slots=True)
class TemplateWeek:
    week: int
    modules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Template:
    role: str
    weeks: tuple[TemplateWeek, ...]
    protected: tuple[str, ...]
    review: tuple[str, ...]

    @property
    def modules(self) -> tuple[str, ...]:
        """Core module slugs in plan order (week 1 first, template order within a week)."""
        return tuple(slug for week in self.weeks for slug in week.modules)


@dataclass(frozen=True)
class Content:
    version: int
    checksum: str
    roles: tuple[Role, ...]
    modules: tuple[Module, ...]
    templates: tuple[Template, ...]
    themes: tuple[Theme, ...]
    modules_by_slug: Mapping[str, Module] = field(compare=False, repr=False)
    templates_by_role: Mapping[str, Template] = field(compare=False, repr=False)
    roles_by_slug: Mapping[str, Role] = field(compare=False, repr=False)
    # Per-role scheduling data, built on first use by the scheduler and kept here so that
    # plan generation does not redo it (the content is immutable).
    _plan_cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def module(self, slug: str) -> Module:
        return self.modules_by_slug[slug]

    def template(self, role: str) -> Template:
        return self.templates_by_role[role]

    def role(self, slug: str) -> Role:
        return self.roles_by_slug[slug]

    def theme_title(self, week: int) -> str:
        for theme in self.themes:
            if theme.week == week:
                return theme.title
        raise KeyError(week)


# --------------------------------------------------------------------------- loading


def load_content(path: str | Path | None = None) -> Content:
    """Read and validate the YAML content in ``path`` (default: ``curriculum/content``)."""
    import yaml

    directory = Path(path) if path is not None else CONTENT_DIR
    documents: dict[str, Any] = {}
    errors: list[str] = []
    if not directory.is_dir():
        raise ContentError([f"{directory}: not a directory"])
    present = sorted(p.name for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    for name in present:
        if name not in CONTENT_FILES:
            errors.append(f"{name}: unexpected content file (expected {', '.join(CONTENT_FILES)})")
    for name in CONTENT_FILES:
        file_path = directory / name
        if not file_path.is_file():
            errors.append(f"{name}: file missing")
            continue
        try:
            documents[name] = yaml.safe_load(file_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            errors.append(f"{name}: invalid YAML{where}: {problem}")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"{name}: cannot read: {exc}")
    if errors:
        raise ContentError(errors)
    return parse_content(documents)


def content_checksum(documents: Mapping[str, Any]) -> str:
    """A stable SHA-256 of the parsed documents (key order and YAML layout do not matter)."""
    canonical = json.dumps(
        {name: documents.get(name) for name in sorted(documents)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_content(documents: Mapping[str, Any]) -> Content:
    """Validate parsed documents keyed by file name (``roles.yaml``, ``modules.yaml``,
    ``templates.yaml``) and build the :class:`Content`."""
    v = _Validator()
    for name in CONTENT_FILES:
        if name not in documents:
            v.errors.append(f"{name}: file missing")
    for name in sorted(documents):
        if name not in CONTENT_FILES:
            v.errors.append(f"{name}: unexpected content file")
    if v.errors:
        raise ContentError(v.errors)

    version = v.versions(documents)
    roles = v.roles(documents[ROLES_FILE])
    modules = v.modules(documents[MODULES_FILE])
    modules_by_slug = {m.slug: m for m in modules}
    v.module_graph(modules, modules_by_slug)
    themes, templates = v.templates(documents[TEMPLATES_FILE], modules_by_slug)
    v.coverage(roles, templates, modules_by_slug)
    if v.errors:
        raise ContentError(v.errors)
    return Content(
        version=version,
        checksum=content_checksum(documents),
        roles=tuple(roles),
        modules=tuple(modules),
        templates=tuple(templates),
        themes=tuple(themes),
        modules_by_slug=modules_by_slug,
        templates_by_role={t.role: t for t in templates},
        roles_by_slug={r.slug: r for r in roles},
    )


# --------------------------------------------------------------------------- validation


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


class _Validator:
    """Collects every problem instead of stopping at the first one."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, file: str, entry: str | None, fld: str | None, message: str) -> None:
        parts = [file]
        if entry:
            parts.append(entry)
        if fld:
            parts.append(f"field '{fld}'")
        parts.append(message)
        self.errors.append(": ".join(parts))

    # -- shared helpers

    def _doc(self, file: str, doc: Any, key: str) -> list[Any]:
        if not isinstance(doc, dict):
            self.error(file, None, None, "expected a mapping at the top level")
            return []
        items = doc.get(key)
        if not isinstance(items, list) or not items:
            self.error(file, None, key, "expected a non-empty list")
            return []
        return items

    def _entry(self, kind: str, index: int, raw: Any) -> str:
        slug = raw.get("slug") if isinstance(raw, dict) else None
        if kind == "template" and isinstance(raw, dict):
            slug = raw.get("role")
        if _is_text(slug):
            return f"{kind} '{slug}'"
        return f"{kind} at index {index}"

    def _text(self, file: str, entry: str, raw: dict, key: str, required: bool = True) -> str:
        value = raw.get(key)
        if value is None and not required:
            return ""
        if not _is_text(value):
            self.error(file, entry, key, "missing" if value is None else "expected non-empty text")
            return ""
        return value.strip()

    def _slug_list(self, file: str, entry: str, raw: dict, key: str) -> list[str]:
        value = raw.get(key, [])
        if value is None:
            value = []
        if not isinstance(value, list) or not all(_is_text(x) for x in value):
            self.error(file, entry, key, "expected a list of slugs")
            return []
        seen: set[str] = set()
        for item in value:
            if item in seen:
                self.error(file, entry, key, f"'{item}' listed twice")
            seen.add(item)
        return list(value)

    def _unknown_keys(self, file: str, entry: str, raw: dict, allowed: set[str]) -> None:
        for key in sorted(set(raw) - allowed, key=str):
            self.error(file, entry, str(key), "unknown field")

    # -- documents

    def versions(self, documents: Mapping[str, Any]) -> int:
        found: dict[str, int] = {}
        for name in CONTENT_FILES:
            doc = documents[name]
            value = doc.get("version") if isinstance(doc, dict) else None
            if not _is_int(value) or value < 1:
                self.error(name, None, "version", "expected a positive integer")
            else:
                found[name] = value
        if len(set(found.values())) > 1:
            listed = ", ".join(f"{n}={v}" for n, v in found.items())
            self.error(TEMPLATES_FILE, None, "version", f"versions differ between files ({listed})")
        return max(found.values()) if found else 0

    def roles(self, doc: Any) -> list[Role]:
        file = ROLES_FILE
        roles: list[Role] = []
        seen: set[str] = set()
        allowed = {"slug", "name", "summary", "areas", "rounds"}
        for index, raw in enumerate(self._doc(file, doc, "roles")):
            entry = self._entry("role", index, raw)
            if not isinstance(raw, dict):
                self.error(file, entry, None, "expected a mapping")
                continue
            self._unknown_keys(file, entry, raw, allowed)
            slug = self._text(file, entry, raw, "slug")
            if slug and slug not in ROLES_BY_SLUG:
                self.error(
                    file, entry, "slug", f"unknown role '{slug}' (known: {_known(ROLE_SLUGS)})"
                )
            if slug in seen:
                self.error(file, entry, "slug", "duplicate slug")
            seen.add(slug)
            name = self._text(file, entry, raw, "name")
            if slug in ROLES_BY_SLUG and name and name != ROLES_BY_SLUG[slug].name:
                self.error(
                    file,
                    entry,
                    "name",
                    f"'{name}' differs from curriculum.roles ('{ROLES_BY_SLUG[slug].name}')",
                )
            summary = self._text(file, entry, raw, "summary")
            areas = self._slug_list(file, entry, raw, "areas")
            if not areas:
                self.error(file, entry, "areas", "expected at least one area")
            for area in areas:
                if area not in AREAS:
                    self.error(file, entry, "areas", f"unknown area '{area}'")
            rounds = self._rounds(file, entry, raw.get("rounds"))
            roles.append(Role(slug, name, summary, tuple(areas), tuple(rounds)))
        for slug in ROLE_SLUGS:
            if slug not in seen:
                self.error(file, None, "roles", f"role '{slug}' missing")
        return roles

    def _rounds(self, file: str, entry: str, value: Any) -> list[Round]:
        if not isinstance(value, list) or not value:
            self.error(file, entry, "rounds", "expected a non-empty list")
            return []
        rounds = []
        for index, raw in enumerate(value):
            where = f"{entry}: round at index {index}"
            if not isinstance(raw, dict):
                self.error(file, where, None, "expected a mapping")
                continue
            title = self._text(file, where, raw, "title")
            area = self._text(file, where, raw, "area")
            if area and area not in AREAS:
                self.error(file, where, "area", f"unknown area '{area}'")
            description = self._text(file, where, raw, "description")
            rounds.append(Round(title, area, description))
        return rounds

    def modules(self, doc: Any) -> list[Module]:
        file = MODULES_FILE
        modules: list[Module] = []
        seen: set[str] = set()
        allowed = {
            "slug",
            "title",
            "description",
            "kind",
            "area",
            "minutes",
            "roles",
            "week",
            "priority",
            "prerequisites",
            "url_name",
            "url_query",
            "completion",
            "problems",
        }
        for index, raw in enumerate(self._doc(file, doc, "modules")):
            entry = self._entry("module", index, raw)
            if not isinstance(raw, dict):
                self.error(file, entry, None, "expected a mapping")
                continue
            self._unknown_keys(file, entry, raw, allowed)
            slug = self._text(file, entry, raw, "slug")
            if slug and not _SLUG_RE.match(slug):
                self.error(file, entry, "slug", "use lowercase letters, digits, '-' or '_'")
            if slug and slug in seen:
                self.error(file, entry, "slug", "duplicate slug")
            seen.add(slug)
            title = self._text(file, entry, raw, "title")
            description = self._text(file, entry, raw, "description")
            kind = self._text(file, entry, raw, "kind")
            if kind and kind not in MODULE_KINDS:
                self.error(
                    file, entry, "kind", f"unknown kind '{kind}' (known: {_known(MODULE_KINDS)})"
                )
            area = self._text(file, entry, raw, "area")
            if area and area not in AREAS:
                self.error(file, entry, "area", f"unknown area '{area}'")
            minutes = raw.get("minutes")
            if not _is_int(minutes) or minutes <= 0:
                self.error(file, entry, "minutes", f"expected a positive integer, got {minutes!r}")
                minutes = 0
            roles = self._slug_list(file, entry, raw, "roles")
            if not roles:
                self.error(file, entry, "roles", "expected at least one role")
            for role in roles:
                if role not in ROLES_BY_SLUG:
                    self.error(file, entry, "roles", f"unknown role '{role}'")
            week = raw.get("week")
            if not _is_int(week) or week not in WEEKS:
                self.error(file, entry, "week", f"expected 1, 2, 3 or 4, got {week!r}")
                week = 0
            priority = raw.get("priority")
            if not _is_int(priority) or priority < 1:
                self.error(file, entry, "priority", f"expected an integer >= 1, got {priority!r}")
                priority = 0
            prerequisites = self._slug_list(file, entry, raw, "prerequisites")
            if slug in prerequisites:
                self.error(file, entry, "prerequisites", "a module cannot require itself")
            url_name = raw.get("url_name")
            if not isinstance(url_name, str) or not _URL_NAME_RE.match(url_name):
                self.error(file, entry, "url_name", f"expected 'namespace:name', got {url_name!r}")
                url_name = ""
            url_query = raw.get("url_query") or ""
            if not isinstance(url_query, str) or url_query.startswith("?"):
                self.error(file, entry, "url_query", "expected 'key=value&...' without '?'")
                url_query = ""
            completion = self._completion(file, entry, raw.get("completion"))
            problems = self._slug_list(file, entry, raw, "problems")
            for name in problems:
                if not _PROBLEM_SLUG_RE.match(name):
                    self.error(file, entry, "problems", f"not a LeetCode slug: {name!r}")
            modules.append(
                Module(
                    slug=slug,
                    title=title,
                    description=description,
                    kind=kind,
                    area=area,
                    minutes=minutes,
                    roles=tuple(roles),
                    week=week,
                    priority=priority,
                    prerequisites=tuple(prerequisites),
                    url_name=url_name,
                    url_query=url_query,
                    completion=completion,
                    problems=tuple(problems),
                )
            )
        return modules

    def _completion(self, file: str, entry: str, raw: Any) -> CompletionRule:
        empty = ChecklistRule(())
        if not isinstance(raw, dict):
            self.error(
                file, entry, "completion", "missing" if raw is None else "expected a mapping"
            )
            return empty
        kind = raw.get("type")
        if kind == "events":
            self._unknown_keys(file, entry, raw, {"type", "event", "tags", "count"})
            event = raw.get("event")
            if event not in PROGRESS_KINDS:
                self.error(
                    file,
                    entry,
                    "completion.event",
                    f"unknown progress kind {event!r} (known: {_known(PROGRESS_KINDS)})",
                )
            tags = raw.get("tags", [])
            if not isinstance(tags, list) or not all(_is_text(t) for t in tags):
                self.error(file, entry, "completion.tags", "expected a list of tags")
                tags = []
            count = raw.get("count")
            if not _is_int(count) or count < 1:
                self.error(
                    file, entry, "completion.count", f"expected an integer >= 1, got {count!r}"
                )
                count = 1
            return EventsRule(str(event), tuple(tags), count)
        if kind == "checklist":
            self._unknown_keys(file, entry, raw, {"type", "items"})
            items = raw.get("items")
            if not isinstance(items, list) or not items or not all(_is_text(i) for i in items):
                self.error(file, entry, "completion.items", "expected a non-empty list of text")
                return empty
            return ChecklistRule(tuple(i.strip() for i in items))
        self.error(
            file, entry, "completion.type", f"expected 'events' or 'checklist', got {kind!r}"
        )
        return empty

    def module_graph(self, modules: list[Module], by_slug: dict[str, Module]) -> None:
        file = MODULES_FILE
        for module in modules:
            entry = f"module '{module.slug}'"
            for prereq in module.prerequisites:
                other = by_slug.get(prereq)
                if other is None:
                    self.error(file, entry, "prerequisites", f"unknown module '{prereq}'")
                    continue
                if other.priority > module.priority:
                    self.error(
                        file,
                        entry,
                        "priority",
                        f"{module.priority} is more essential than its prerequisite "
                        f"'{prereq}' ({other.priority})",
                    )
                if other.week > module.week:
                    self.error(
                        file,
                        entry,
                        "prerequisites",
                        f"'{prereq}' is in a later week ({other.week} > {module.week})",
                    )
        # Cycle detection (depth-first, deterministic order); report each cycle once.
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()

        def visit(slug: str, path: list[str]) -> None:
            state[slug] = 1
            path.append(slug)
            for prereq in by_slug[slug].prerequisites:
                if prereq not in by_slug:
                    continue
                if state.get(prereq) == 1:
                    cycle = path[path.index(prereq) :] + [prereq]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.error(
                            file,
                            f"module '{prereq}'",
                            "prerequisites",
                            "cycle " + " -> ".join(cycle),
                        )
                elif prereq not in state:
                    visit(prereq, path)
            path.pop()
            state[slug] = 2

        for module in modules:
            if module.slug and module.slug not in state:
                visit(module.slug, [])

    def templates(self, doc: Any, by_slug: dict[str, Module]) -> tuple[list[Theme], list[Template]]:
        file = TEMPLATES_FILE
        themes: list[Theme] = []
        raw_themes = self._doc(file, doc, "themes")
        for index, raw in enumerate(raw_themes):
            where = f"theme at index {index}"
            if not isinstance(raw, dict):
                self.error(file, where, None, "expected a mapping")
                continue
            week = raw.get("week")
            title = self._text(file, where, raw, "title")
            if not _is_int(week) or week not in WEEKS:
                self.error(file, where, "week", f"expected 1, 2, 3 or 4, got {week!r}")
                continue
            themes.append(Theme(week, title))
        if raw_themes and sorted(t.week for t in themes) != list(WEEKS):
            self.error(file, None, "themes", "expected exactly one theme for each week 1-4")
        themes.sort(key=lambda t: t.week)

        templates: list[Template] = []
        seen: set[str] = set()
        for index, raw in enumerate(self._doc(file, doc, "templates")):
            entry = self._entry("template", index, raw)
            if not isinstance(raw, dict):
                self.error(file, entry, None, "expected a mapping")
                continue
            self._unknown_keys(file, entry, raw, {"role", "weeks", "protected", "review"})
            role = self._text(file, entry, raw, "role")
            if role and role not in ROLES_BY_SLUG:
                self.error(file, entry, "role", f"unknown role '{role}'")
            if role in seen:
                self.error(file, entry, "role", "duplicate template for this role")
            seen.add(role)
            weeks = self._template_weeks(file, entry, role, raw.get("weeks"), by_slug)
            order = {slug: i for i, slug in enumerate(s for w in weeks for s in w.modules)}
            # Prerequisites must be in the template, earlier.
            for slug, position in order.items():
                module = by_slug.get(slug)
                if module is None:
                    continue
                for prereq in module.prerequisites:
                    if prereq not in order:
                        self.error(
                            file,
                            entry,
                            "weeks",
                            f"module '{slug}' needs '{prereq}', which this template lacks",
                        )
                    elif order[prereq] > position:
                        self.error(
                            file,
                            entry,
                            "weeks",
                            f"module '{slug}' is listed before its prerequisite '{prereq}'",
                        )
            protected = self._slug_list(file, entry, raw, "protected")
            for slug in protected:
                if slug not in order:
                    self.error(file, entry, "protected", f"'{slug}' is not in this template")
                    continue
                module = by_slug.get(slug)
                for prereq in module.prerequisites if module else ():
                    if prereq in order and prereq not in protected:
                        self.error(
                            file,
                            entry,
                            "protected",
                            f"'{slug}' is protected but its prerequisite '{prereq}' is not",
                        )
            review = self._slug_list(file, entry, raw, "review")
            for slug in review:
                module = by_slug.get(slug)
                if module is None:
                    self.error(file, entry, "review", f"unknown module '{slug}'")
                elif module.kind != "review":
                    self.error(file, entry, "review", f"'{slug}' is not a review module")
                elif role and role not in module.roles:
                    self.error(file, entry, "review", f"'{slug}' does not list role '{role}'")
                elif module.prerequisites:
                    self.error(file, entry, "review", f"review module '{slug}' has prerequisites")
            templates.append(Template(role, tuple(weeks), tuple(protected), tuple(review)))
        for slug in ROLE_SLUGS:
            if slug not in seen:
                self.error(file, None, "templates", f"template for role '{slug}' missing")
        return themes, templates

    def _template_weeks(
        self, file: str, entry: str, role: str, raw: Any, by_slug: dict[str, Module]
    ) -> list[TemplateWeek]:
        if not isinstance(raw, dict) or not raw:
            self.error(file, entry, "weeks", "expected a mapping of week number to module slugs")
            return []
        weeks: list[TemplateWeek] = []
        used: set[str] = set()
        for key in sorted(raw, key=str):
            if not _is_int(key) or key not in WEEKS:
                self.error(file, entry, "weeks", f"unknown week {key!r} (expected 1-4)")
                continue
            slugs = raw[key]
            where = f"weeks.{key}"
            if not isinstance(slugs, list) or not all(_is_text(s) for s in slugs):
                self.error(file, entry, where, "expected a list of module slugs")
                continue
            for slug in slugs:
                module = by_slug.get(slug)
                if slug in used:
                    self.error(file, entry, where, f"'{slug}' listed twice")
                used.add(slug)
                if module is None:
                    self.error(file, entry, where, f"unknown module '{slug}'")
                    continue
                if role and role not in module.roles:
                    self.error(file, entry, where, f"module '{slug}' does not list role '{role}'")
                if module.week != key:
                    self.error(file, entry, where, f"module '{slug}' belongs to week {module.week}")
                if module.kind == "review":
                    self.error(file, entry, where, f"review module '{slug}' belongs under 'review'")
            weeks.append(TemplateWeek(key, tuple(slugs)))
        weeks.sort(key=lambda w: w.week)
        if [w.week for w in weeks] != list(WEEKS) and not any("weeks" in e for e in self.errors):
            self.error(file, entry, "weeks", "expected weeks 1, 2, 3 and 4")
        return weeks

    def coverage(
        self, roles: list[Role], templates: list[Template], by_slug: dict[str, Module]
    ) -> None:
        by_role = {t.role: t for t in templates}
        for role in roles:
            template = by_role.get(role.slug)
            if template is None:
                continue
            covered = {by_slug[s].area for s in template.modules if s in by_slug}
            for area in role.areas:
                if area not in covered:
                    self.error(
                        TEMPLATES_FILE,
                        f"template '{role.slug}'",
                        "weeks",
                        f"no module covers the role's area '{area}'",
                    )


def _known(values: tuple[str, ...]) -> str:
    return ", ".join(values)
