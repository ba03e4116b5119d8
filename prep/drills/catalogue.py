"""The problem bank as content: ``prep/drills/content/problems.yaml`` → rows.

Registered with ``manage.py load_content``. Idempotent: rows are updated in place by
slug, problems removed from the file are kept (attempts point at them) but dropped from
every list, and no user state (attempts, timers, re-solve schedules) is touched.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.db import transaction

CONTENT_DIR = Path(__file__).resolve().parent / "content"
PROBLEMS_FILE = CONTENT_DIR / "problems.yaml"
DIFFICULTIES = ("easy", "medium", "hard")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def leetcode_url(slug: str) -> str:
    return f"https://leetcode.com/problems/{slug}/"


def _fail(path: Path, entry: str, field: str, message: str) -> ValueError:
    return ValueError(f"{path.name}: {entry}: field {field!r}: {message}")


def parse(path: Path = PROBLEMS_FILE) -> dict:
    """Read and validate the content file; errors name file, entry and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path.name}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: the top level must be a mapping")

    def named(section: str) -> list[dict]:
        items = data.get(section)
        if not isinstance(items, list) or not items:
            raise _fail(path, "top level", section, "must be a non-empty list")
        seen = set()
        for i, item in enumerate(items):
            entry = f"{section}[{i}]"
            if not isinstance(item, dict):
                raise _fail(path, entry, "-", "must be a mapping")
            slug = item.get("slug")
            if not isinstance(slug, str) or not TAG_RE.match(slug):
                raise _fail(path, entry, "slug", f"invalid slug {slug!r}")
            if slug in seen:
                raise _fail(path, f"{section} {slug!r}", "slug", "duplicate")
            seen.add(slug)
            if not isinstance(item.get("name"), str) or not item["name"].strip():
                raise _fail(path, f"{section} {slug!r}", "name", "required")
        return items

    patterns = named("patterns")
    lists = named("lists")
    pattern_slugs = {p["slug"] for p in patterns}
    list_slugs = {x["slug"] for x in lists}

    problems = data.get("problems")
    if not isinstance(problems, list) or not problems:
        raise _fail(path, "top level", "problems", "must be a non-empty list")
    seen: set[str] = set()
    for i, item in enumerate(problems):
        if not isinstance(item, dict):
            raise _fail(path, f"problems[{i}]", "-", "must be a mapping")
        slug = item.get("slug")
        entry = f"problem {slug!r}" if isinstance(slug, str) else f"problems[{i}]"
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            raise _fail(path, entry, "slug", f"must be a LeetCode slug, got {slug!r}")
        if slug in seen:
            raise _fail(path, entry, "slug", "duplicate")
        seen.add(slug)
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            raise _fail(path, entry, "title", "required")
        if item.get("difficulty") not in DIFFICULTIES:
            raise _fail(path, entry, "difficulty", f"must be one of {DIFFICULTIES}")
        pats = item.get("patterns")
        if not isinstance(pats, list) or not pats:
            raise _fail(path, entry, "patterns", "must be a non-empty list")
        for p in pats:
            if p not in pattern_slugs:
                raise _fail(path, entry, "patterns", f"unknown pattern {p!r}")
        lsts = item.get("lists", [])
        if not isinstance(lsts, list):
            raise _fail(path, entry, "lists", "must be a list")
        for x in lsts:
            if x not in list_slugs:
                raise _fail(path, entry, "lists", f"unknown list {x!r}")
        if not isinstance(item.get("premium", False), bool):
            raise _fail(path, entry, "premium", "must be true or false")
    return {"patterns": patterns, "lists": lists, "problems": problems}


@transaction.atomic
def load(path: Path = PROBLEMS_FILE) -> str:
    """Store the bank: update in place by slug; never touch user state."""
    from .models import Pattern, Problem, ProblemList

    data = parse(path)
    pattern_rows = {}
    for position, item in enumerate(data["patterns"]):
        row, _ = Pattern.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"], "position": position}
        )
        pattern_rows[row.slug] = row
    list_rows = {}
    for position, item in enumerate(data["lists"]):
        row, _ = ProblemList.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"], "position": position}
        )
        list_rows[row.slug] = row

    existing = {p.slug: p for p in Problem.objects.filter(owner__isnull=True)}
    current_patterns: dict[int, set[str]] = {}
    current_lists: dict[int, set[str]] = {}
    for pid, slug in Problem.patterns.through.objects.filter(
        problem__owner__isnull=True
    ).values_list("problem_id", "pattern__slug"):
        current_patterns.setdefault(pid, set()).add(slug)
    for pid, slug in Problem.lists.through.objects.filter(problem__owner__isnull=True).values_list(
        "problem_id", "problemlist__slug"
    ):
        current_lists.setdefault(pid, set()).add(slug)

    created = updated = 0
    retagged: list[int] = []
    for position, item in enumerate(data["problems"]):
        values = {
            "title": item["title"].strip(),
            "url": leetcode_url(item["slug"]),
            "difficulty": item["difficulty"],
            "premium": bool(item.get("premium", False)),
            "position": position,
        }
        row = existing.pop(item["slug"], None)
        is_new, changed = row is None, False
        old_difficulty = None if row is None else row.difficulty
        if is_new:
            row = Problem.objects.create(slug=item["slug"], **values)
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            changed = True
        pats, lsts = set(item["patterns"]), set(item.get("lists", []))
        if current_patterns.get(row.pk, set()) != pats:
            row.patterns.set([pattern_rows[s] for s in item["patterns"]])
            changed = True
            if not is_new:
                retagged.append(row.pk)
        elif not is_new and values["difficulty"] != old_difficulty:
            retagged.append(row.pk)
        if current_lists.get(row.pk, set()) != lsts:
            row.lists.set([list_rows[s] for s in lsts])
            changed = True
        if changed and not is_new:
            updated += 1
    # Problems gone from the file stay (attempts point at them) but leave every list.
    for row in existing.values():
        row.lists.clear()
    reports = _retag_progress(retagged)
    return (
        f"{len(data['problems'])} problems, {len(pattern_rows)} patterns, "
        f"{len(list_rows)} lists: {created} new, {updated} updated"
        + (f", {reports} past report(s) re-tagged" if reports else "")
    )


def _retag_progress(problem_ids: list[int]) -> int:
    """Past attempts on re-tagged problems count toward the modules of their new patterns."""
    if not problem_ids:
        return 0
    from django.contrib.auth import get_user_model

    from curriculum import progress

    from .models import Attempt, Problem

    tags_of = {
        p.pk: (*sorted(x.slug for x in p.patterns.all()), p.difficulty)
        for p in Problem.objects.filter(pk__in=problem_ids).prefetch_related("patterns")
    }
    by_user: dict[int, dict[str, tuple[str, ...]]] = {}
    for pk, user_id, problem_id in Attempt.objects.filter(problem_id__in=problem_ids).values_list(
        "pk", "user_id", "problem_id"
    ):
        keys = by_user.setdefault(user_id, {})
        keys[f"drills:attempt:{pk}"] = tags_of[problem_id]
        keys[f"drills:solved:{pk}"] = tags_of[problem_id]
    users = get_user_model().objects.in_bulk(list(by_user))
    return sum(
        progress.retag(users[user_id], tags_by_key=keys) for user_id, keys in by_user.items()
    )
