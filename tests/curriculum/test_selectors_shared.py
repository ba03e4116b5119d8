"""The curriculum reads the apps compose (a module's progress for the drills and mocks pages,
the plan's items due for the dashboard): their rules are tested here, with their owner."""

import datetime as dt

import pytest
from django.utils import timezone

from curriculum import progress, selectors
from curriculum.models import Module, PlanItem
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_module_progress_counts_against_the_rule_and_caps_at_its_target():
    user = UserFactory(profile=None)
    onboard(user)
    module = Module.objects.filter(
        completion__type="events", completion__event="drill_solved"
    ).first()
    before = selectors.module_progress(user, [module])[0]
    assert before["done"] == 0 and not before["complete"]
    target = before["target"]
    assert target == int(module.completion.get("count", 1))
    tags = module.completion.get("tags", [])
    for n in range(target + 2):
        progress.record(
            user,
            key=f"t:{n}",
            area=module.area,
            kind="drill_solved",
            tags=tags,
            occurred_at=timezone.now(),
        )
    after = selectors.module_progress(user, [module])[0]
    assert after == {"module": module, "done": target, "target": target, "complete": True}


def test_items_due_are_the_pending_items_up_to_today_overdue_first():
    user = UserFactory(profile=None)
    plan = onboard(user)
    today = plan.planned_on
    first = PlanItem.objects.filter(plan=plan, date__gt=today).order_by("date", "id").first()
    PlanItem.objects.filter(pk=first.pk).update(date=today - dt.timedelta(days=2))
    done = PlanItem.objects.filter(plan=plan, date=today).order_by("id").first()
    PlanItem.objects.filter(pk=done.pk).update(status=PlanItem.Status.DONE)
    views = selectors.items_due(plan, today=today)
    assert views[0].item.pk == first.pk and views[0].is_overdue
    assert done.pk not in {v.item.pk for v in views}
    assert all(v.item.date <= today and v.item.status == "pending" for v in views)
