"""Issue 20: the today page reads once what the today list and readiness both ask (the plan's
pending items, the cards' figures, the rubric scores received) and hands it to both. What the
page shows must be what each part computes on its own, asking the apps itself."""

import datetime as dt

import pytest
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone

from curriculum import selectors as plan_selectors
from curriculum.models import Plan, PlanItem
from prep.dashboard import readiness, selectors
from prep.lib.localtime import local_day
from prep.mocks import selectors as mocks_selectors
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

from .test_views_today import user_with_history

pytestmark = pytest.mark.django_db


def shown(entries):
    return [(e.kind, e.title, e.reason, e.url, e.rank, e.detail, e.extra) for e in entries]


@pytest.mark.parametrize("days", [10, 60])
def test_the_page_shows_what_the_list_and_readiness_compute_on_their_own(days):
    user = user_with_history(days)
    plan = Plan.objects.get(user=user)
    now, tz = timezone.now(), user.profile.tzinfo
    page = selectors.today_page(user, role="mle", plan=plan, tz=tz, now=now)
    assert page["areas"] == readiness.readiness(user, role="mle", plan=plan, now=now)
    alone = selectors.today_queue(user, plan=plan, tz=tz, now=now)
    assert shown(page["entries"]) == shown(alone)
    assert [e.item.item.pk for e in page["entries"] if e.kind == "plan"] == [
        e.item.item.pk for e in alone if e.kind == "plan"
    ]


def test_items_due_and_next_read_once_are_items_due_and_next_work_day():
    user = UserFactory(profile=None)
    plan = onboard(user, role="mle")
    today = local_day(user.profile.tzinfo, timezone.now()).date
    later = PlanItem.objects.filter(plan=plan, date__gt=today).order_by("date", "id").first()
    PlanItem.objects.filter(pk=later.pk).update(date=today - dt.timedelta(days=1))  # overdue
    for day in (today, today - dt.timedelta(days=3)):
        items, upcoming = plan_selectors.items_due_and_next(plan, today=day)
        alone = plan_selectors.items_due(plan, today=day)
        assert [(v.item.pk, v.is_overdue, v.is_today, v.url) for v in items] == [
            (v.item.pk, v.is_overdue, v.is_today, v.url) for v in alone
        ]
        expected = plan_selectors.next_work_day(plan, today=day)
        assert (upcoming[0], [i.pk for i in upcoming[1]]) == (
            expected[0],
            [i.pk for i in expected[1]],
        )


def test_with_nothing_planned_today_the_page_says_when_work_starts_again(client):
    user = UserFactory(profile=None)
    plan = onboard(user, role="mle")
    today = local_day(user.profile.tzinfo, timezone.now()).date
    PlanItem.objects.filter(plan=plan, date__lte=today).update(status=PlanItem.Status.DONE)
    first = (
        PlanItem.objects.filter(plan=plan, status=PlanItem.Status.PENDING)
        .order_by("date", "id")
        .first()
    )
    client.force_login(user)
    html = client.get(reverse("dashboard:today")).content.decode()
    assert 'data-testid="next-work-day"' in html
    assert f"{first.date:%A} {first.date.day} {first.date:%B}" in html
    assert first.module.title in html
    assert 'data-kind="plan"' not in html


def test_weak_dimensions_from_the_shared_read_are_the_databases_averages():
    """The weak dimensions are now averaged in Python from the rows readiness reads too: the
    same means (as PostgreSQL's AVG gives them), order and cut as the SQL aggregate."""
    user = user_with_history(60)
    now = timezone.now()
    sql = list(
        mocks_selectors.scores_received(user=user, now=now)
        .filter(feedback__created_at__gte=now - dt.timedelta(days=30))
        .values("feedback__kind", "dimension")
        .annotate(mean=Avg("score"), n=Count("id"))
        .filter(mean__lt=mocks_selectors.WEAK_SCORE)
        .order_by("mean", "dimension", "feedback__kind")
    )
    weak = mocks_selectors.weak_dimensions(user=user, now=now, limit=100)
    assert [(r["feedback__kind"], r["dimension"], r["n"]) for r in weak] == [
        (r["feedback__kind"], r["dimension"], r["n"]) for r in sql
    ]
    assert [f"{r['mean']:.1f}" for r in weak] == [f"{r['mean']:.1f}" for r in sql]
