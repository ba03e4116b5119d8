"""Drills: reads. Each selector runs a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    Window,
)

from prep.lib.localtime import local_day
from prep.memory.resolves import Figures
from prep.memory.resolves import figures as resolve_figures

from .models import (
    SOLVED_OUTCOMES,
    Attempt,
    Difficulty,
    Outcome,
    Pattern,
    Problem,
    ProblemList,
    ReviewState,
    Timer,
)

STATUSES = [
    ("new", "Not tried"),
    ("attempted", "Tried"),
    ("solved", "Solved"),
    ("unsolved", "Tried, not solved"),
    ("due", "Due for re-solve"),
]


def patterns():
    return list(Pattern.objects.all())


def problem_lists():
    return list(ProblemList.objects.all())


class ProblemRow:
    """A problem of the list as the user sees it: what the list shows and filters on.

    ``attempt_count``, ``pattern_tags`` and ``list_tags`` are set by ``page_details`` for the
    rows a page shows, ``page_url`` by the view."""

    __slots__ = (
        "pk",
        "title",
        "difficulty",
        "premium",
        "owner_id",
        "attempted",
        "is_solved",
        "due",
        "timer_started",
        "attempt_count",
        "pattern_tags",
        "list_tags",
        "page_url",
    )

    def __init__(self, pk, title, difficulty, premium, owner_id, attempted, is_solved, due, timer):
        self.pk, self.title, self.difficulty, self.premium = pk, title, difficulty, premium
        self.owner_id, self.attempted, self.is_solved = owner_id, attempted, is_solved
        self.due, self.timer_started = due, timer
        self.attempt_count, self.pattern_tags, self.list_tags = 0, [], []

    def get_difficulty_display(self) -> str:
        return Difficulty(self.difficulty).label


def problems_for(user, *, filters: dict, now: dt.datetime, tz) -> list[ProblemRow]:
    """The bank as ``user`` sees it, with their status per problem, filtered: one query,
    ``values_list`` rows (the whole bank is read to count and page it).

    ``filters``: pattern, difficulty, list (slugs), status (see STATUSES), q (title search).
    Only whether a problem was tried and solved is read here (the first matching attempt
    answers); ``page_details`` counts the attempts, and loads the patterns and lists, of the
    rows a page shows.
    """
    mine = Attempt.objects.filter(user=user, problem=OuterRef("pk"))
    qs = Problem.objects.visible_to(user).annotate(
        attempted=Exists(mine),
        is_solved=Exists(mine.filter(outcome__in=SOLVED_OUTCOMES)),
        due=Subquery(
            ReviewState.objects.filter(user=user, problem=OuterRef("pk")).values("due")[:1]
        ),
        timer_started=Subquery(
            Timer.objects.filter(user=user, problem=OuterRef("pk")).values("started_at")[:1]
        ),
    )
    if filters.get("pattern"):
        qs = qs.filter(patterns__slug=filters["pattern"])
    if filters.get("list"):
        qs = qs.filter(lists__slug=filters["list"])
    if filters.get("difficulty"):
        qs = qs.filter(difficulty=filters["difficulty"])
    if filters.get("q"):
        qs = qs.filter(title__icontains=filters["q"])
    status = filters.get("status")
    if status == "new":
        qs = qs.filter(attempted=False)
    elif status == "attempted":
        qs = qs.filter(attempted=True)
    elif status == "solved":
        qs = qs.filter(is_solved=True)
    elif status == "unsolved":
        qs = qs.filter(attempted=True, is_solved=False)
    elif status == "due":
        qs = qs.filter(due__lt=local_day(tz, now).end).order_by("due", "position")
    columns = ("id", "title", "difficulty", "premium", "owner_id")
    status_columns = ("attempted", "is_solved", "due", "timer_started")
    return [ProblemRow(*row) for row in qs.values_list(*columns, *status_columns)]


def page_details(
    user, rows: list[ProblemRow], *, patterns: list[Pattern], lists: list[ProblemList]
) -> list[ProblemRow]:
    """Set ``attempt_count``, ``pattern_tags`` and ``list_tags`` (bank order) on the
    ``rows`` a page shows, in one query (none for an empty page): the two link tables and
    the user's attempts counted per problem, as one union, the tags mapped onto the
    ``patterns`` and ``lists`` the page already holds (every one of them). A page shows 25
    problems, and counting or tagging the whole bank cost more than the rest of its SQL."""
    if not rows:
        return rows
    by_id = {r.pk: r for r in rows}
    pattern_at = {x.pk: (i, x) for i, x in enumerate(patterns)}
    list_at = {x.pk: (i, x) for i, x in enumerate(lists)}
    linked = Problem.patterns.through.objects.filter(problem_id__in=by_id).values_list(
        "problem_id", "pattern_id", Value(0, output_field=IntegerField())
    )
    listed = Problem.lists.through.objects.filter(problem_id__in=by_id).values_list(
        "problem_id", "problemlist_id", Value(1, output_field=IntegerField())
    )
    counted = (
        Attempt.objects.filter(user=user, problem_id__in=by_id)
        .order_by()
        .values_list("problem_id")
        .annotate(n=Count("id"), kind=Value(2, output_field=IntegerField()))
    )
    for problem_id, value, kind in linked.union(listed, counted, all=True):
        row = by_id[problem_id]
        if kind == 0:
            row.pattern_tags.append(pattern_at[value])
        elif kind == 1:
            row.list_tags.append(list_at[value])
        else:
            row.attempt_count = value
    for row in rows:
        row.pattern_tags = [x for _, x in sorted(row.pattern_tags, key=lambda t: t[0])]
        row.list_tags = [x for _, x in sorted(row.list_tags, key=lambda t: t[0])]
    return rows


def problem_for(user, pk: int) -> Problem:
    """One problem the user may see (catalogue or their own); raises DoesNotExist."""
    return Problem.objects.visible_to(user).prefetch_related("patterns", "lists").get(pk=pk)


def problem_to_attempt(user, pk: int) -> Problem:
    """A problem the user may see, for logging an attempt at it (raises DoesNotExist): with
    its patterns (the progress tags) and ``timer_running`` (whether the user's timer runs),
    in two queries; its lists are not loaded (only a re-shown form needs them)."""
    return (
        Problem.objects.visible_to(user)
        .annotate(timer_running=Exists(Timer.objects.filter(user=user, problem=OuterRef("pk"))))
        .prefetch_related("patterns")
        .get(pk=pk)
    )


def attempts_of(user, problem: Problem) -> list[Attempt]:
    return list(Attempt.objects.filter(user=user, problem=problem).order_by("-finished_at", "-id"))


def attempt_history(user, *, limit: int = 200) -> list[Attempt]:
    return list(
        Attempt.objects.filter(user=user)
        .select_related("problem")
        .order_by("-finished_at", "-id")[:limit]
    )


def attempt_count(user) -> int:
    return Attempt.objects.filter(user=user).count()


def resolve_queue(user, *, now: dt.datetime, tz) -> tuple[list[ReviewState], list[ReviewState]]:
    """(due today or overdue, coming up) re-solves, soonest first."""
    end = local_day(tz, now).end
    states = list(
        ReviewState.objects.filter(user=user)
        .select_related("problem")
        .order_by("due", "problem__position")
    )
    return [s for s in states if s.due < end], [s for s in states if s.due >= end]


# --------------------------------------------------------------------------- coverage


@dataclass
class PatternCoverage:
    pattern: Pattern
    bank: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Difficulty.values, 0))
    solved: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Difficulty.values, 0))
    clean: int = 0
    hints_only: int = 0
    failures: int = 0

    @property
    def bank_total(self) -> int:
        return sum(self.bank.values())

    @property
    def solved_total(self) -> int:
        return sum(self.solved.values())

    @property
    def strength(self) -> float:
        """Problems solved clean count 1, solved only with hints count ½."""
        return self.clean + 0.5 * self.hints_only


@dataclass
class Coverage:
    patterns: list[PatternCoverage]
    solved_by_difficulty: dict[str, int]
    bank_by_difficulty: dict[str, int]
    median_minutes: dict[str, float | None]
    attempts: int
    weakest: list[PatternCoverage]
    target_difficulty: str | None
    suggestion: Problem | None
    modules: list[dict]

    @property
    def solved_total(self) -> int:
        return sum(self.solved_by_difficulty.values())

    @property
    def medium_share(self) -> int | None:
        """Percentage of solved problems that are medium (None before any solve)."""
        if not self.solved_total:
            return None
        return round(100 * self.solved_by_difficulty["medium"] / self.solved_total)


def target_difficulty(pc: PatternCoverage, *, role: str, medium_clean: int) -> str:
    """The difficulty to practise a pattern at next.

    Medium is the interview bar. Before any solve in the pattern, after a failure, step
    down to easy; after three different mediums solved clean, step up to hard. Research
    roles (a lower coding bar) start at easy until two problems in the pattern are solved.
    """
    if pc.solved_total == 0 and pc.failures > 0:
        return "easy"
    if role == "research" and pc.solved_total < 2:
        return "easy"
    if medium_clean >= 3:
        return "hard"
    return "medium"


class _Candidate(NamedTuple):
    """A bank row, as the coverage page's next-problem suggestion ranks it."""

    id: int
    difficulty: str
    pattern: str | None
    title: str
    slug: str
    url: str
    position: int
    list_count: int


# The coverage page's three reads. Raw SQL: building them through the ORM (a grouped
# values() with a distinct count over two joins, conditional counts, per-difficulty
# subqueries) cost more CPU than running them, on a page a candidate opens daily.
# tests/drills/test_coverage.py holds the page's figures to the attempts themselves.
_COVERAGE_SQL = {
    # The bank visible to the user: a row per (problem, pattern), with the problem's
    # list count (the suggestion prefers problems on more lists).
    "bank": """
        SELECT p.id, p.difficulty, pat.slug, p.title, p.slug, p.url, p.position,
               COALESCE(lc.n, 0)
          FROM {problem} p
          LEFT JOIN {problem_patterns} pp ON pp.problem_id = p.id
          LEFT JOIN {pattern} pat ON pat.id = pp.pattern_id
          LEFT JOIN (SELECT problem_id, COUNT(*) AS n FROM {problem_lists} GROUP BY problem_id) lc
                 ON lc.problem_id = p.id
         WHERE p.owner_id IS NULL OR p.owner_id = %(user)s""",
    # The user's attempts counted per problem and outcome.
    "attempts": """
        SELECT problem_id, outcome, COUNT(*)
          FROM {attempt}
         WHERE user_id = %(user)s
         GROUP BY problem_id, outcome""",
    # The user's solved attempts counted per difficulty and minutes.
    "minutes": """
        SELECT p.difficulty, a.minutes, COUNT(*)
          FROM {attempt} a
          JOIN {problem} p ON p.id = a.problem_id
         WHERE a.user_id = %(user)s AND a.outcome IN (%(clean)s, %(hints)s)
         GROUP BY p.difficulty, a.minutes""",
}


@cache
def _coverage_sql(name: str) -> str:
    from django.db import connection

    quote = connection.ops.quote_name
    return _COVERAGE_SQL[name].format(
        problem=quote(Problem._meta.db_table),
        problem_patterns=quote(Problem.patterns.through._meta.db_table),
        problem_lists=quote(Problem.lists.through._meta.db_table),
        pattern=quote(Pattern._meta.db_table),
        attempt=quote(Attempt._meta.db_table),
    )


def _coverage_rows(name: str, user) -> list[tuple]:
    from django.db import connection

    params = {"user": user.pk, "clean": Outcome.CLEAN.value, "hints": Outcome.HINTS.value}
    with connection.cursor() as cursor:
        cursor.execute(_coverage_sql(name), params)
        return cursor.fetchall()


def coverage_for(user, *, role: str = "") -> Coverage:
    """Solved per pattern and difficulty, medians, weakest patterns, a next problem."""
    pattern_rows = patterns()
    by_slug = {p.slug: PatternCoverage(pattern=p) for p in pattern_rows}
    bank_by_difficulty = dict.fromkeys(Difficulty.values, 0)
    rank = {Outcome.FAILED: 0, Outcome.HINTS: 1, Outcome.CLEAN: 2}

    # 1. The bank: one row per (problem, pattern), counted per pattern and difficulty here;
    # with what a suggestion shows and ranks by (its lists counted), so the candidates of
    # the weakest patterns are picked from these rows.
    patterns_of: dict[int, set[str]] = defaultdict(set)
    difficulty_of: dict[int, str] = {}
    bank = _coverage_rows("bank", user)
    for pid, difficulty, slug, *_ in bank:
        difficulty_of[pid] = difficulty
        if slug:
            patterns_of[pid].add(slug)
            if slug in by_slug:
                by_slug[slug].bank[difficulty] += 1
    for difficulty in difficulty_of.values():
        bank_by_difficulty[difficulty] += 1

    # 2. The user's attempts, counted per problem and outcome by the database: a row per
    # (problem, outcome) tried however many attempts there are (its difficulty is the
    # bank's, read above).
    best: dict[int, str] = {}  # problem -> best outcome
    failures: dict[str, int] = defaultdict(int)
    attempts = 0
    for pid, outcome, n in _coverage_rows("attempts", user):
        attempts += n
        if outcome == Outcome.FAILED:
            for slug in patterns_of[pid]:
                failures[slug] += n
        if pid not in best or rank[outcome] > rank[best[pid]]:
            best[pid] = outcome
    # Minutes of solved attempts, counted per difficulty and minutes value, for the medians.
    minutes: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for difficulty, mins, n in _coverage_rows("minutes", user):
        minutes[difficulty].append((mins, n))

    solved_by_difficulty = dict.fromkeys(Difficulty.values, 0)
    medium_clean: dict[str, int] = defaultdict(int)
    for pid, outcome in best.items():
        if outcome not in SOLVED_OUTCOMES:
            continue
        difficulty = difficulty_of[pid]
        solved_by_difficulty[difficulty] += 1
        for slug in patterns_of[pid]:
            pc = by_slug.get(slug)
            if pc is None:
                continue
            pc.solved[difficulty] += 1
            if outcome == Outcome.CLEAN:
                pc.clean += 1
                if difficulty == "medium":
                    medium_clean[slug] += 1
            else:
                pc.hints_only += 1
    for slug, n in failures.items():
        if slug in by_slug:
            by_slug[slug].failures = n

    rows = [by_slug[p.slug] for p in pattern_rows]
    # Weakest: least strength; more failures first on a tie; then the bank's pattern order.
    weakest = sorted(
        (r for r in rows if r.bank_total),
        key=lambda r: (r.strength, -r.failures, r.pattern.position),
    )[:3]

    # 3. The candidates of the three weakest patterns, from the bank's rows.
    suggestion, target = None, None
    if weakest:
        weak = {w.pattern.slug for w in weakest}
        candidates = sorted(
            (_Candidate(*row) for row in bank if row[2] in weak),
            key=lambda c: (-c.list_count, c.position),
        )
        for w in weakest:
            target = target_difficulty(w, role=role, medium_clean=medium_clean[w.pattern.slug])
            pool = [
                c
                for c in candidates
                if c.pattern == w.pattern.slug and best.get(c.id) not in SOLVED_OUTCOMES
            ]
            order = {"easy": ["easy", "medium", "hard"], "medium": ["medium", "easy", "hard"]}.get(
                target, ["hard", "medium", "easy"]
            )
            for difficulty in order:
                picks = [c for c in pool if c.difficulty == difficulty]
                # Never tried before retried-and-failed ones.
                picks.sort(key=lambda c: (c.id in best, -c.list_count, c.position))
                if picks:
                    pick = picks[0]
                    suggestion = Problem(
                        pk=pick.id,
                        title=pick.title,
                        slug=pick.slug,
                        difficulty=pick.difficulty,
                        url=pick.url,
                    )
                    suggestion.suggested_for = w.pattern
                    break
            if suggestion:
                break

    medians = {d: _median_of_counts(minutes[d]) for d in Difficulty.values}
    return Coverage(
        patterns=rows,
        solved_by_difficulty=solved_by_difficulty,
        bank_by_difficulty=bank_by_difficulty,
        median_minutes=medians,
        attempts=attempts,
        weakest=weakest,
        target_difficulty=target,
        suggestion=suggestion,
        modules=coding_modules(user, role=role),
    )


def _median_of_counts(counts: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many times) pairs in any order, as
    ``statistics.median`` would give it for the expanded list (None when empty)."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the middle two
    found, seen = [], 0
    for value, n in sorted(counts):
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return found[0] if total % 2 else (found[0] + found[1]) / 2


def coding_modules(user, *, role: str) -> list[dict]:
    """The curriculum's drill modules for this role with the user's progress on each."""
    from curriculum.models import Module
    from curriculum.selectors import module_progress

    modules = [
        m
        for m in Module.objects.active().filter(area="coding", kind="drills").order_by("position")
        if not role or role in (m.roles or [])
    ]
    return [{**row, "query": row["module"].url_query} for row in module_progress(user, modules)]


# --------------------------------------------------------------------------- for other apps


def resolves_due(user, *, now: dt.datetime, tz, limit: int = 3) -> tuple[list[ReviewState], int]:
    """The first ``limit`` re-solves due today or overdue (soonest first, with their
    problem) and how many are due in all: the resolve queue's "due" part, for the dashboard.
    One query: the count is a window over every due row, taken before the limit."""
    first = list(
        ReviewState.objects.filter(user=user, due__lt=local_day(tz, now).end)
        .select_related("problem")
        .annotate(due_total=Window(Count("id")))
        .order_by("due", "problem__position")[:limit]
    )
    return first, (first[0].due_total if first else 0)


def dashboard_figures(user, *, now: dt.datetime, tz, limit: int = 3, recent: int = 20) -> Figures:
    """``resolves_due`` (the first ``limit`` as (title, slug)) and ``coding_evidence`` in one
    statement, for the dashboard, which shows both on every view
    (``prep.memory.resolves.figures``)."""
    return resolve_figures(
        state_model=ReviewState,
        attempt_model=Attempt,
        newest=("finished_at", "id"),
        solved_outcomes=[str(o) for o in SOLVED_OUTCOMES],
        user_id=user.pk,
        day_end=local_day(tz, now).end,
        limit=limit,
        recent=recent,
    )


def coding_evidence(user, *, recent: int = 20) -> tuple[int, list[str]]:
    """(distinct problems solved clean or with hints, outcomes of the last ``recent``
    attempts, newest first): what readiness weighs for coding. One query: the solved count
    rides on each of the recent rows (a user without attempts has solved none)."""
    solved = (
        Attempt.objects.filter(user=user, outcome__in=SOLVED_OUTCOMES)
        .order_by()
        .values("user")
        .annotate(n=Count("problem_id", distinct=True))
        .values("n")
    )
    rows = list(
        Attempt.objects.filter(user=user)
        .order_by("-finished_at", "-id")
        .annotate(solved=Subquery(solved))
        .values_list("outcome", "solved")[: max(1, recent)]
    )
    solved_count = (rows[0][1] or 0) if rows else 0
    return solved_count, [outcome for outcome, _ in rows[:recent]]
