"""The judged problem bank as plain data, read from ``content/``. Knows no Django.

One YAML file per problem: ``content/python/<slug>.yaml`` (implement a function in
NumPy) and ``content/sql/<slug>.yaml`` (a query over a SQLite fixture). The file's hash
is its version. Errors name the file and the field.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .runner import Case, Spec

CONTENT = Path(__file__).parent / "content"
DIFFICULTIES = ("easy", "medium", "hard")
ROLES = ("research", "mle", "applied")
REQUIRED = (
    "slug",
    "title",
    "difficulty",
    "tags",
    "roles",
    "statement",
    "starter",
    "examples",
    "tests",
    "hints",
    "reference",
    "wrong",
    "wrong_why",
    "editorial",
)


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Problem:
    slug: str
    kind: str
    title: str
    difficulty: str
    tags: tuple[str, ...]
    roles: tuple[str, ...]
    statement: str
    starter: str
    hints: tuple[str, ...]
    reference: str
    wrong: str
    wrong_why: str
    editorial: str
    sources: tuple[str, ...]
    schema: str  # SQL: the tables, shown to the user
    spec: Spec

    @property
    def version(self) -> str:
        return self.spec.version


def _case(entry: dict, kind: str, schema: str, where: str, public: bool) -> Case:
    if not isinstance(entry, dict):
        raise ContentError(f"{where}: each test is a mapping")
    if kind == "sql":
        if "data" not in entry:
            raise ContentError(f"{where}: an SQL test needs `data` (INSERT statements)")
        return Case(
            call="",
            setup=schema + "\n" + entry["data"],
            expected=entry.get("expected") if public else None,
            show=entry["data"] if public else "",
        )
    if "call" not in entry:
        raise ContentError(f"{where}: a test needs `call`")
    if public and "expected" not in entry:
        raise ContentError(f"{where}: a public example needs `expected`")
    show = (entry.get("setup", "") + "\n" + entry["call"]).strip()
    return Case(
        call=entry["call"],
        setup=entry.get("setup", ""),
        expected=entry.get("expected") if public else None,
        show=show,
    )


def parse(path: Path) -> Problem:
    kind = path.parent.name
    raw_text = path.read_text()
    try:
        raw = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc
    where = f"{kind}/{path.name}"
    missing = [k for k in REQUIRED if not raw.get(k)]
    if kind == "python" and not raw.get("function"):
        missing.append("function")
    if kind == "sql" and not raw.get("schema"):
        missing.append("schema")
    if missing:
        raise ContentError(f"{where}: missing {', '.join(missing)}")
    if raw["slug"] != path.stem:
        raise ContentError(f"{where}: slug {raw['slug']!r} differs from the file name")
    if raw["difficulty"] not in DIFFICULTIES:
        raise ContentError(f"{where}: difficulty must be one of {DIFFICULTIES}")
    bad_roles = set(raw["roles"]) - set(ROLES)
    if bad_roles:
        raise ContentError(f"{where}: unknown roles {sorted(bad_roles)}")
    schema = raw.get("schema", "")
    examples = tuple(
        _case(e, kind, schema, f"{where} examples[{i}]", True)
        for i, e in enumerate(raw["examples"])
    )
    tests = tuple(
        _case(e, kind, schema, f"{where} tests[{i}]", False) for i, e in enumerate(raw["tests"])
    )
    tolerance = raw.get("tolerance", {})
    spec = Spec(
        slug=raw["slug"],
        kind=kind,
        function=raw.get("function", ""),
        examples=examples,
        tests=tests,
        reference=raw["reference"],
        rtol=float(tolerance.get("rtol", 1e-6)),
        atol=float(tolerance.get("atol", 1e-6)),
        normalize=raw.get("normalize", ""),
        ordered=bool(raw.get("ordered", False)),
        version=hashlib.sha256(raw_text.encode()).hexdigest()[:16],
    )
    return Problem(
        slug=raw["slug"],
        kind=kind,
        title=raw["title"],
        difficulty=raw["difficulty"],
        tags=tuple(raw["tags"]),
        roles=tuple(raw["roles"]),
        statement=raw["statement"],
        starter=raw["starter"],
        hints=tuple(raw["hints"]),
        reference=raw["reference"],
        wrong=raw["wrong"],
        wrong_why=raw["wrong_why"],
        editorial=raw["editorial"],
        sources=tuple(raw.get("sources", ())),
        schema=schema,
        spec=spec,
    )


@functools.cache
def problems() -> tuple[Problem, ...]:
    """Every problem: Python ones first, then SQL, each kind in file-name order."""
    found = []
    for kind in ("python", "sql"):
        for path in sorted((CONTENT / kind).glob("*.yaml")):
            found.append(parse(path))
    slugs = [p.slug for p in found]
    duplicates = {s for s in slugs if slugs.count(s) > 1}
    if duplicates:
        raise ContentError(f"duplicate slugs: {sorted(duplicates)}")
    return tuple(found)


def by_slug(slug: str) -> Problem | None:
    return next((p for p in problems() if p.slug == slug), None)


def selfcheck(only: list[str] | None = None) -> dict:
    """Judge every reference (must be accepted) and every wrong solution (must be
    rejected by the hidden tests, not only the examples)."""
    from .runner import judge

    chosen = [p for p in problems() if not only or p.slug in only]
    accepted = rejected = 0
    misses = []
    for problem in chosen:
        ref = judge(code=problem.reference, spec=problem.spec)
        if ref.verdict == "accepted":
            accepted += 1
        else:
            misses.append(f"{problem.slug}: reference {ref.verdict}: {ref.message} {ref.error}")
        hidden_only = dataclasses.replace(problem.spec, examples=())
        wrong = judge(code=problem.wrong, spec=hidden_only)
        if wrong.verdict != "accepted":
            rejected += 1
        else:
            misses.append(
                f"{problem.slug}: wrong solution {wrong.verdict} (hidden tests must catch it)"
            )
    python = [p.slug for p in chosen if p.kind == "python"]
    sql = [p.slug for p in chosen if p.kind == "sql"]
    return {
        "problems": len(python),
        "sql_problems": len(sql),
        "reference_accepted": accepted,
        "wrong_rejected": rejected,
        "slugs": python + sql,
        "misses": misses,
    }
