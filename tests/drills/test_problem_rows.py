"""The problem list's rows are written by a filter (templatetags/drills.py ``problem_rows``):
the markup of the template loop it replaced, byte for byte, over the whole bank and every
status, with every title and name escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from prep.drills import selectors, services
from prep.drills.models import Pattern, Problem, ReviewState, Timer
from prep.drills.templatetags.drills import problem_rows
from prep.drills.views import _with_urls
from prep.lib.localtime import local_day

pytestmark = pytest.mark.django_db

# The loop as templates/drills/problem_list.html had it, tags and counts read from ``page_details``.
LOOP = Template(
    """{% for p in problems %}
          <tr>
            <td data-label="Problem">
              <a href="{{ p.page_url }}">{{ p.title }}</a>
              {% if p.premium %}<span class="badge badge--neutral" title="LeetCode Premium">Premium</span>{% endif %}
              {% if p.owner_id %}<span class="badge badge--primary">Custom</span>{% endif %}
            </td>
            <td data-label="Difficulty"><span class="badge badge--{{ p.difficulty }}">{{ p.get_difficulty_display }}</span></td>
            <td data-label="Patterns"><ul class="tags">{% for pat in p.pattern_tags %}<li><span class="tag">{{ pat.name }}</span></li>{% endfor %}</ul></td>
            <td data-label="Lists"><ul class="tags">{% for l in p.list_tags %}<li><span class="tag">{{ l.name }}</span></li>{% empty %}<li class="muted">—</li>{% endfor %}</ul></td>
            <td data-label="Status">
              {% if p.timer_started %}<span class="badge badge--in_progress">Timer running</span>{% endif %}
              {% if p.due and p.due < due_today %}<span class="badge badge--due">Re-solve due</span>
              {% elif p.is_solved %}<span class="badge badge--done">Solved</span>
              {% elif p.attempt_count %}<span class="badge badge--failed">Not solved yet</span>
              {% else %}<span class="muted nowrap">Not tried</span>{% endif %}
              {% if p.attempt_count %}<span class="muted nowrap">· {{ p.attempt_count }} attempt{{ p.attempt_count|pluralize }}</span>{% endif %}
            </td>
          </tr>
          {% endfor %}"""
)
EVIL = "<b>\"Evil\" & 'co'</b>"


@pytest.fixture
def bank(alice, sliding, two_sum, catalogue):
    now = timezone.now()
    evil = Problem.objects.create(
        slug="evil", title=EVIL, difficulty="hard", owner=alice, position=1
    )
    evil.patterns.set(Pattern.objects.filter(slug__in=["hashing", "graphs"]))
    Problem.objects.filter(slug="two-sum", owner__isnull=True).update(premium=True)
    Timer.objects.create(user=alice, problem=evil, started_at=now)
    for outcome in ("failed", "hints"):
        services.attempt_log(
            user=alice, problem=sliding, outcome=outcome, minutes=30, now=now - dt.timedelta(days=3)
        )
    services.attempt_log(user=alice, problem=two_sum, outcome="failed", minutes=5, now=now)
    ReviewState.objects.filter(user=alice, problem=sliding).update(due=now - dt.timedelta(days=1))
    tz = timezone.get_current_timezone()
    problems = selectors.problems_for(alice, filters={}, now=now, tz=tz)
    selectors.page_details(
        alice, problems, patterns=selectors.patterns(), lists=selectors.problem_lists()
    )
    return _with_urls(problems), local_day(tz, now).end


def test_problem_rows_write_what_the_template_loop_wrote(bank):
    problems, due_today = bank
    assert len(problems) > 200
    ours = problem_rows(problems, due_today)
    assert ours == LOOP.render(Context({"problems": problems, "due_today": due_today}))
    for text in (
        "Re-solve due",
        "Timer running",
        "Premium",
        "Custom",
        "Not solved yet",
        "Not tried",
        "· 2 attempts",
        "· 1 attempt<",
        '<li class="muted">—</li>',
    ):
        assert text in ours, text


def test_titles_are_escaped_on_the_page_and_in_the_htmx_answer(alice_client, bank):
    for headers in ({}, {"HX-Request": "true"}):
        html = alice_client.get(
            reverse("drills:problem_list"), {"q": "evil"}, headers=headers
        ).content.decode()
        assert "&lt;b&gt;&quot;Evil&quot; &amp; &#x27;co&#x27;&lt;/b&gt;" in html
        assert EVIL not in html


def test_an_empty_page_is_tagged_without_a_query(alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.page_details(alice, [], patterns=[], lists=[]) == []
