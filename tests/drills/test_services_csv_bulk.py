"""The CSV import writes in bulk: it must leave exactly the state that logging the same rows
one by one (``attempt_log``) leaves, in a fixed number of queries, reading the file as a
stream."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from curriculum import plans, selectors
from curriculum.models import ModuleProgress, PlanItem, ProgressEvent
from prep.drills import services
from prep.drills.models import Attempt, Problem, ReviewState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = "2027-01-13 10:00"
HEADER = "problem,date,minutes,outcome,confidence,language,notes,code\n"


def _sliding_medium() -> list[Problem]:
    return list(
        Problem.objects.filter(
            owner__isnull=True, difficulty="medium", patterns__slug="sliding_window"
        ).order_by("position")[:3]
    )


def _user(email: str):
    user = UserFactory(email=email)
    today = dt.date(2027, 1, 13)
    plans.plan_configure(
        user,
        role="mle",
        interview=today + dt.timedelta(days=28),
        weekly_minutes=600,
        weekdays=[0, 1, 2, 3, 4],
        timezone_name="UTC",
    )
    return user


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, 0, tzinfo=dt.UTC)


def _history(user, s1, s2, two_sum) -> None:
    """What both users had before: a later clean solve of s1 (the import brings an older one,
    which takes over its solved report) and a failed two-sum (a review state to update)."""
    services.attempt_log(user=user, problem=s1, outcome="clean", minutes=20, now=_at(12))
    services.attempt_log(user=user, problem=two_sum, outcome="failed", minutes=30, now=_at(4))
    services.attempt_log(user=user, problem=s2, outcome="failed", minutes=25, now=_at(3))


def _rows(s1, s2, s3, two_sum) -> list[tuple]:
    """(problem, finished_at, minutes, outcome, confidence, language, notes, code), in file
    order: not in time order, with a duplicate of the history and one inside the file."""
    return [
        (s3, _at(9), 40, "clean", 5, "python", "", ""),
        (s1, _at(5), 33, "hints", 2, "java", "=SUM(A1)", "def f():\n    return 1\n"),
        (s2, _at(6), 18, "clean", 4, "cpp", "second try", ""),
        (two_sum, _at(4), 30, "failed", 3, "python", "", ""),  # already in the history
        (s3, _at(2), 50, "failed", 1, "python", "", ""),
        (s1, _at(1), 45, "failed", 3, "python", "", ""),
        (two_sum, _at(8), 12, "clean", 5, "python", "", ""),
        (s2, _at(10), 15, "clean", 3, "python", "", ""),
        (s2, _at(10), 15, "clean", 3, "python", "", ""),  # twice in the file
    ]


def _csv(rows) -> bytes:
    out = io.StringIO()
    out.write(HEADER)
    for problem, when, minutes, outcome, conf, lang, notes, code in rows:
        cells = [
            problem.slug,
            when.isoformat(),
            str(minutes),
            outcome,
            str(conf),
            lang,
            services._csv_safe(notes),
            services._csv_safe(code),
        ]
        out.write(",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n")
    return out.getvalue().encode()


def _one_by_one(user, rows) -> None:
    for problem, when, minutes, outcome, conf, lang, notes, code in rows:
        if Attempt.objects.filter(
            user=user, problem=problem, finished_at=when, outcome=outcome, minutes=minutes
        ).exists():
            continue
        services.attempt_log(
            user=user,
            problem=problem,
            outcome=outcome,
            minutes=minutes,
            confidence=conf,
            language=lang,
            notes=notes,
            code=code,
            now=when,
        )


def _state(user) -> dict:
    attempts = {
        a.pk: (a.problem.slug, a.finished_at, a.outcome, a.minutes, a.confidence, a.language)
        + (a.notes, a.code)
        for a in Attempt.objects.filter(user=user).select_related("problem")
    }

    def named(key: str):
        prefix, pk = key.rsplit(":", 1)
        return (prefix, attempts[int(pk)])

    plan = plans.Plan.objects.get(user=user)
    return {
        "attempts": sorted(attempts.values()),
        "reports": sorted(
            (named(e.key), e.kind, e.area, e.tags, e.amount, e.occurred_at)
            for e in ProgressEvent.objects.filter(user=user, retracted_at=None)
        ),
        "modules": sorted(
            (p.module.slug, p.done, p.target, p.complete)
            for p in ModuleProgress.objects.filter(user=user).select_related("module")
        ),
        "plan_items": sorted(
            (i.module.slug, i.date, i.session_index, i.status, i.auto_done, i.done_at)
            for i in PlanItem.objects.filter(user=user).select_related("module")
        ),
        "reviews": sorted(
            (r.problem.slug, r.due, sorted(r.card.items()), r.reviews, r.last_outcome)
            for r in ReviewState.objects.filter(user=user).select_related("problem")
        ),
        "streak": selectors.streak(plan, today=dt.date(2027, 1, 13)),
    }


def test_importing_leaves_the_state_logging_row_by_row_leaves(travel, two_sum):
    travel(NOW, tick=False)  # plan items done "now" on both sides at the same instant
    s1, s2, s3 = _sliding_medium()
    bulk, single = _user("bulk@example.com"), _user("single@example.com")
    for user in (bulk, single):
        _history(user, s1, s2, two_sum)
    rows = _rows(s1, s2, s3, two_sum)

    result = services.attempts_import(user=bulk, data=_csv(rows))
    _one_by_one(single, rows)

    assert (result.imported, result.skipped) == (7, 2)
    got, expected = _state(bulk), _state(single)
    assert got == expected
    # The sample covers what the bulk path has to get right:
    assert ("coding-sliding-window", 3, 3, True) in got["modules"]  # three medium solves
    assert any(  # ... complete a plan item by themselves
        item[0] == "coding-sliding-window" and item[3] == "done" and item[4]
        for item in got["plan_items"]
    )
    solved = [r[0][1][1] for r in got["reports"] if r[1] == "drill_solved"]
    assert _at(5) in solved and _at(12) not in solved  # the older solve took over
    assert {r[0] for r in got["reviews"]} == {s1.slug, s2.slug, s3.slug, two_sum.slug}
    assert got["streak"] >= 1


def _medium(n: int) -> list[Problem]:
    """Three medium sliding-window problems (their module completes), a medium two-pointers
    one (a module with no progress yet), then other medium problems up to ``n``."""
    first = [
        *_sliding_medium(),
        *Problem.objects.filter(
            owner__isnull=True, difficulty="medium", patterns__slug="two_pointers"
        )
        .exclude(patterns__slug="sliding_window")
        .order_by("position")[:1],
    ]
    rest = Problem.objects.filter(owner__isnull=True, difficulty="medium").exclude(
        pk__in=[p.pk for p in first]
    )
    return [*first, *rest.order_by("position")[: n - len(first)]]


@pytest.mark.parametrize("n", [4, 30])
def test_an_import_costs_the_same_queries_whatever_its_size(
    alice, travel, django_assert_num_queries, n
):
    """4 problems and 12 rows, or 30 problems and 90: every write path is taken in both
    (a solve taken over, a review state updated and others created, a module's progress
    updated and others created, a plan item completed). On SQLite Django splits an insert
    of more than 999 values (99 attempts), so the larger size stays under that."""
    travel(NOW, tick=False)
    problems = _medium(n)
    services.attempt_log(user=alice, problem=problems[0], outcome="clean", minutes=9, now=_at(12))
    services.attempt_log(user=alice, problem=problems[0], outcome="failed", minutes=9, now=_at(11))
    lines = [HEADER]
    for i, p in enumerate(problems):
        lines.append(f"{p.slug},2027-01-0{1 + i % 3},{10 + i},clean\n")
        lines.append(f"{p.slug},2027-01-05,{10 + i},{['hints', 'failed'][i % 2]}\n")
        lines.append(f"{p.slug},2027-01-06,{10 + i},clean\n")
    # problems; history; attempts insert; problems and their patterns; events (locked),
    # insert, retraction; modules; module progress (locked), insert, update; plan items;
    # FSRS parameters; review states, insert, update; 2 savepoints and their 2 releases
    with django_assert_num_queries(21):
        result = services.attempts_import(user=alice, data="".join(lines).encode())
    assert result.imported == 3 * n
    assert ModuleProgress.objects.get(user=alice, module__slug="coding-sliding-window").complete


class _Trickle(io.RawIOBase):
    """An upload that records how much each read asked for."""

    def __init__(self, data: bytes):
        self._data, self.asked = io.BytesIO(data), []

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.asked.append(len(buffer))
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def read(self, size=-1):
        self.asked.append(size)
        return self._data.read(size)


def test_the_file_is_read_a_buffer_at_a_time_and_refused_past_the_limit(alice):
    row = "two-sum,2026-03-01,5,clean\n"
    big = _Trickle((HEADER + row * (services.IMPORT_MAX_BYTES // len(row) + 10)).encode())
    with pytest.raises(services.ImportRejected) as info:
        services.attempts_import(user=alice, data=big)  # no .size: found out while reading
    assert info.value.errors == [
        "The file is more than 1,000,000 bytes; the limit is 1,000,000 bytes."
    ]
    assert big.asked and max(big.asked) <= 64 * 1024  # never the whole file at once
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (b"two-sum,2026-03-01,5,clean\n\xff\xfe\n", "The file is not UTF-8 text (is it a CSV?)."),
        (b"two-sum,2026-03-01,5,clean\n\x00\n", "The file contains binary data; expected a CSV."),
    ],
)
def test_a_bad_byte_after_bad_rows_still_refuses_the_whole_file(alice, tail, message):
    """Read as a stream, the file is still judged whole: a bad row earlier does not hide
    that the file is not text."""
    data = HEADER.encode() + b"nope,2026-03-01,5,clean\n" * 3 + tail
    with pytest.raises(services.ImportRejected) as info:
        services.attempts_import(user=alice, data=data)
    assert info.value.errors == [message]
