"""Drills pages: filters, timer, logging, isolation, bad input, highlighting, CSV."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from prep.drills import services
from prep.drills.models import Attempt, Pattern, Timer

pytestmark = pytest.mark.django_db

LIST = reverse("drills:problem_list")


def test_list_needs_login(client):
    assert client.get(LIST).status_code == 302


def test_list_shows_the_bank_with_links_and_filters(alice_client):
    html = alice_client.get(LIST).content.decode()
    assert "Two Sum" in html and "Blind 75" in html
    assert 'hx-push-url="true"' in html and 'hx-get="/drills/"' in html
    assert "<table" in html


def test_filters_narrow_the_list(alice_client):
    r = alice_client.get(LIST, {"pattern": "sliding_window", "difficulty": "medium"})
    html = r.content.decode()
    assert "Longest Repeating Character Replacement" in html
    assert "Minimum Window Substring" not in html  # hard
    assert "Two Sum" not in html
    count = int(re.search(r'data-testid="result-count">(\d+)<', html).group(1))
    assert count >= 5


def test_search_and_list_filters(alice_client):
    html = alice_client.get(LIST, {"q": "palindrom", "list": "grind75"}).content.decode()
    assert "Valid Palindrome" in html and "Longest Palindrome" in html
    assert "Palindromic Substrings" not in html  # not in Grind 75


def test_htmx_gets_only_the_results(alice_client):
    r = alice_client.get(LIST, {"difficulty": "hard"}, headers={"HX-Request": "true"})
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and "Trapping Rain Water" in html


def test_a_bad_filter_value_is_ignored_not_an_error(alice_client):
    r = alice_client.get(LIST, {"difficulty": "impossible", "status": "<script>"})
    assert r.status_code == 200
    assert "Two Sum" in r.content.decode()


def test_status_filters_and_the_plans_due_link(alice, alice_client, sliding, two_sum):
    now = timezone.now()
    services.attempt_log(
        user=alice, problem=sliding, outcome="failed", minutes=30, now=now - dt.timedelta(days=2)
    )
    services.attempt_log(user=alice, problem=two_sum, outcome="clean", minutes=5, now=now)
    due = alice_client.get(LIST, {"due": "1"}).content.decode()
    assert sliding.title in due and ">Two Sum</a>" not in due
    solved = alice_client.get(LIST, {"status": "solved"}).content.decode()
    assert ">Two Sum</a>" in solved and sliding.title not in solved
    unsolved = alice_client.get(LIST, {"status": "unsolved"}).content.decode()
    assert sliding.title in unsolved
    new = alice_client.get(LIST, {"status": "new"}).content.decode()
    assert ">Two Sum</a>" not in new and ">3Sum</a>" in new


def test_timer_survives_a_reload_and_logging_uses_it(alice, alice_client, sliding):
    url = reverse("drills:problem_detail", args=[sliding.pk])
    assert alice_client.post(reverse("drills:timer_start", args=[sliding.pk])).status_code == 302
    started = Timer.objects.get(user=alice).started_at
    Timer.objects.filter(user=alice).update(started_at=started - dt.timedelta(minutes=12))
    html = alice_client.get(url).content.decode()
    assert "data-drill-timer" in html and "12:0" in html
    r = alice_client.post(
        reverse("drills:attempt_create", args=[sliding.pk]),
        {"outcome": "failed", "confidence": "2", "language": "python", "notes": "", "code": ""},
    )
    assert r.status_code == 302
    attempt = Attempt.objects.get(user=alice)
    assert attempt.minutes == 13 and attempt.started_at is not None
    page = alice_client.get(url).content.decode()
    assert "Re-solve due" in page


def test_logging_without_timer_or_minutes_rerenders_and_saves_nothing(alice_client, sliding):
    r = alice_client.post(
        reverse("drills:attempt_create", args=[sliding.pk]),
        {"outcome": "clean", "confidence": "3", "language": "python"},
    )
    assert r.status_code == 400
    assert "Enter the minutes" in r.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"minutes": "-5", "outcome": "clean", "confidence": "3", "language": "python"},
        {"minutes": "20", "outcome": "won", "confidence": "3", "language": "python"},
        {"minutes": "20", "outcome": "clean", "confidence": "9", "language": "python"},
        {"minutes": "20", "outcome": "clean", "confidence": "3", "language": "brainfuck"},
        {
            "minutes": "20",
            "outcome": "clean",
            "confidence": "3",
            "language": "python",
            "code": "x" * 50_001,
        },
        {},
    ],
)
def test_bad_attempt_input_rerenders_with_messages(alice_client, sliding, data):
    r = alice_client.post(reverse("drills:attempt_create", args=[sliding.pk]), data)
    assert r.status_code == 400
    assert "errorlist" in r.content.decode()
    assert not Attempt.objects.exists()


def test_code_is_highlighted_escaped_and_never_inline_styled(alice, alice_client, two_sum):
    a = services.attempt_log(
        user=alice,
        problem=two_sum,
        outcome="clean",
        minutes=5,
        code="def f(x):\n    return '</pre><script>alert(1)</script>'\n",
    )
    html = alice_client.get(reverse("drills:attempt_detail", args=[a.pk])).content.decode()
    assert 'class="highlight"' in html and '<span class="k">def</span>' in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "style=" not in html


def test_another_users_objects_are_404(alice, charlie, client, sliding):
    a = services.attempt_log(user=alice, problem=sliding, outcome="clean", minutes=5)
    mine = services.problem_create(
        user=alice, title="Private one", difficulty="easy", patterns=[Pattern.objects.first()]
    )
    client.force_login(charlie)
    assert client.get(reverse("drills:attempt_detail", args=[a.pk])).status_code == 404
    assert client.post(reverse("drills:attempt_delete", args=[a.pk])).status_code == 404
    assert client.get(reverse("drills:problem_detail", args=[mine.pk])).status_code == 404
    assert client.post(reverse("drills:timer_start", args=[mine.pk])).status_code == 404
    assert (
        client.post(
            reverse("drills:attempt_create", args=[mine.pk]),
            {"minutes": "5", "outcome": "clean", "confidence": "3", "language": "python"},
        ).status_code
        == 404
    )
    assert "Private one" not in client.get(LIST).content.decode()
    assert Attempt.objects.filter(user=alice).count() == 1
    export = client.get(reverse("drills:attempts_export")).content.decode()
    assert export.count("\n") == 1  # charlie's export has the header only


def test_delete_from_history(alice, alice_client, two_sum):
    a = services.attempt_log(user=alice, problem=two_sum, outcome="clean", minutes=5)
    r = alice_client.post(reverse("drills:attempt_delete", args=[a.pk]), {"next": "history"})
    assert r.status_code == 302 and r["Location"] == reverse("drills:attempt_list")
    assert not Attempt.objects.exists()
    assert alice_client.get(reverse("drills:attempt_delete", args=[a.pk])).status_code == 405


def test_custom_problem_form(alice_client):
    url = reverse("drills:problem_create")
    bad = alice_client.post(
        url, {"title": "", "difficulty": "medium", "url": "javascript:alert(1)"}
    )
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    pattern = Pattern.objects.get(slug="graphs")
    r = alice_client.post(
        url,
        {
            "title": "Bus Routes",
            "difficulty": "hard",
            "patterns": [pattern.pk],
            "url": "https://leetcode.com/problems/bus-routes/",
        },
    )
    assert r.status_code == 302
    assert "Bus Routes" in alice_client.get(LIST, {"pattern": "graphs"}).content.decode()


def test_resolve_list_shows_due_and_upcoming_with_dates(alice, alice_client, sliding, two_sum):
    now = timezone.now()
    services.attempt_log(
        user=alice, problem=two_sum, outcome="failed", minutes=5, now=now - dt.timedelta(days=3)
    )
    services.attempt_log(user=alice, problem=sliding, outcome="failed", minutes=5, now=now)
    html = alice_client.get(reverse("drills:resolve_list")).content.decode()
    due_part, upcoming_part = html.split('id="coming-up"')
    assert "Two Sum" in due_part and sliding.title in upcoming_part
    tomorrow = (now + dt.timedelta(days=1)).date()
    assert tomorrow.strftime("%-d %b %Y") in upcoming_part


def test_coverage_page_chart_and_numbers(alice, alice_client, sliding, two_sum):
    services.attempt_log(user=alice, problem=sliding, outcome="clean", minutes=30)
    services.attempt_log(user=alice, problem=two_sum, outcome="hints", minutes=10)
    r = alice_client.get(reverse("drills:coverage"))
    html = r.content.decode()
    assert "<svg" in html and "drills-bar--medium" in html
    assert "style=" not in html
    assert "50%" in html  # one of two solves is medium
    assert 'data-testid="next-problem"' in html
    assert "Sliding window" in html and "1 / 3" in html  # the plan module moved


def test_import_page_reports_lines_and_imports_nothing(alice_client):
    url = reverse("drills:attempts_import")
    assert alice_client.get(url).status_code == 200
    bad = SimpleUploadedFile(
        "a.csv",
        b"problem,date,minutes,outcome\ntwo-sum,2026-01-01,5,clean\ntwo-sum,yesterday,5,clean\n",
        content_type="text/csv",
    )
    r = alice_client.post(url, {"file": bad})
    html = r.content.decode()
    assert r.status_code == 400
    assert "Nothing was imported" in html and "line 3: bad date" in html
    assert not Attempt.objects.exists()


def test_import_refuses_10_mb_of_junk(alice_client):
    junk = SimpleUploadedFile("big.csv", b"\xff" * (10 * 1024 * 1024), content_type="text/csv")
    r = alice_client.post(reverse("drills:attempts_import"), {"file": junk})
    assert r.status_code == 400
    assert "the limit is 1,000,000 bytes" in r.content.decode()
    assert not Attempt.objects.exists()


def test_import_then_export(alice_client):
    good = SimpleUploadedFile(
        "a.csv",
        b"problem,date,minutes,outcome\ntwo-sum,2026-01-01,5,clean\n",
        content_type="text/csv",
    )
    r = alice_client.post(reverse("drills:attempts_import"), {"file": good}, follow=True)
    assert "Imported 1 attempt." in r.content.decode()
    export = alice_client.get(reverse("drills:attempts_export"))
    assert export["Content-Type"].startswith("text/csv")
    assert "attachment" in export["Content-Disposition"]
    assert "two-sum,2026-01-01T" in export.content.decode()
