"""CSV import and export of attempts: all rows or none, line numbers on errors."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest

from curriculum.models import ProgressEvent
from prep.drills import services
from prep.drills.models import Attempt, ReviewState

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
HEADER = "problem,date,minutes,outcome,confidence,language,notes,code\n"


def run(user, text: str, **kw):
    return services.attempts_import(user=user, data=text.encode(), now=NOW, **kw)


def test_a_good_file_imports_every_row_and_reports_progress(alice):
    text = HEADER + (
        "two-sum,2026-03-01T10:00:00+00:00,12,clean,4,python,one pass,\n"
        "https://leetcode.com/problems/3sum/,2026-03-02,35,Solved with hints,2,Java,,\n"
        "longest-substring-without-repeating-characters,2026-03-03 08:00,40,failed,,,,\n"
    )
    result = run(alice, text)
    assert (result.imported, result.skipped) == (3, 0)
    attempts = {a.problem.slug: a for a in Attempt.objects.filter(user=alice)}
    assert attempts["3sum"].outcome == "hints" and attempts["3sum"].language == "java"
    assert attempts["3sum"].finished_at == dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert attempts["longest-substring-without-repeating-characters"].confidence == 3
    kinds = ProgressEvent.objects.filter(user=alice).values_list("kind", flat=True)
    assert sorted(kinds).count("drill_solved") == 2
    assert ReviewState.objects.filter(user=alice).count() == 2  # hints + failed


def test_naive_dates_are_in_the_users_timezone(alice):
    run(alice, HEADER + "two-sum,2026-03-01 10:00,12,clean\n", tz=zoneinfo.ZoneInfo("Europe/Paris"))
    assert Attempt.objects.get(user=alice).finished_at == dt.datetime(
        2026, 3, 1, 9, 0, tzinfo=dt.UTC
    )


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("two-sum,2026-02-30,12,clean", "line 3: bad date '2026-02-30'"),
        ("not-a-problem,2026-03-01,12,clean", "line 3: unknown problem 'not-a-problem'"),
        ("two-sum,2026-03-01,twelve,clean", "line 3: minutes must be a whole number"),
        ("two-sum,2026-03-01,0,clean", "line 3: minutes must be between 1 and 600"),
        ("two-sum,2026-03-01,12,solved", "line 3: unknown outcome 'solved'"),
        ("two-sum,2026-03-01,12,clean,9", "line 3: confidence must be 1 to 5"),
        ("two-sum,2026-03-01,12,clean,3,cobol", "line 3: unknown language 'cobol'"),
        ("two-sum,2027-01-01,12,clean", "line 3: the date '2027-01-01' is in the future"),
        ("two-sum,2026-03-01,12,clean,3,python,a,b,c,d", "line 3: 10 cells"),
    ],
)
def test_a_bad_row_is_named_by_line_and_nothing_is_imported(alice, bad_row, message):
    text = HEADER + "3sum,2026-03-01,30,clean\n" + bad_row + "\n" + "two-sum,2026-03-01,5,clean\n"
    with pytest.raises(services.ImportRejected) as info:
        run(alice, text)
    assert any(e.startswith(message) for e in info.value.errors), info.value.errors
    assert not Attempt.objects.exists()
    assert not ProgressEvent.objects.exists()


def test_line_numbers_count_multiline_cells(alice):
    text = (
        HEADER
        + 'two-sum,2026-03-01,5,clean,3,python,,"def f():\n    return 1\n"\n'
        + "x,2026-03-01,5,clean\n"
    )
    with pytest.raises(services.ImportRejected) as info:
        run(alice, text)
    assert info.value.errors == ["line 5: unknown problem 'x'"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * (10 * 1024 * 1024), "limit is 1,000,000 bytes"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        (b"problem,date\x00,minutes\n", "binary"),
        (b"", "empty"),
        (b"title,when\nTwo Sum,today\n", "missing column(s) problem, date, minutes, outcome"),
        (HEADER.encode(), "no attempts"),
    ],
)
def test_junk_is_refused_with_a_clear_error(alice, data, message):
    with pytest.raises(services.ImportRejected) as info:
        services.attempts_import(user=alice, data=data, now=NOW)
    assert message in " ".join(info.value.errors)
    assert not Attempt.objects.exists()


def test_export_then_import_round_trips_and_reimport_skips(alice, bob, two_sum):
    services.attempt_log(
        user=alice,
        problem=two_sum,
        outcome="hints",
        minutes=17,
        confidence=2,
        notes='=HYPERLINK("evil")',
        code="def f():\n    return '+1'\n",
        now=NOW - dt.timedelta(days=1),
    )
    out = io.StringIO()
    assert services.attempts_export(user=alice, out=out) == 1
    text = out.getvalue()
    assert "'=HYPERLINK" in text  # a spreadsheet will not run it
    assert services.attempts_import(user=bob, data=text.encode(), now=NOW).imported == 1
    copy = Attempt.objects.get(user=bob)
    assert (copy.notes, copy.code, copy.minutes, copy.outcome) == (
        '=HYPERLINK("evil")',
        "def f():\n    return '+1'\n",
        17,
        "hints",
    )
    again = services.attempts_import(user=bob, data=text.encode(), now=NOW)
    assert (again.imported, again.skipped) == (0, 1)
    assert Attempt.objects.filter(user=bob).count() == 1


def test_an_imported_older_solve_takes_over_the_solved_report(alice, two_sum):
    later = services.attempt_log(user=alice, problem=two_sum, outcome="clean", minutes=9, now=NOW)
    run(alice, HEADER + "two-sum,2026-03-01,12,clean\n")
    older = Attempt.objects.exclude(pk=later.pk).get()
    solved = ProgressEvent.objects.filter(user=alice, kind="drill_solved", retracted_at=None)
    assert list(solved.values_list("key", flat=True)) == [f"drills:solved:{older.pk}"]
