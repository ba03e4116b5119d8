"""The progress seam on its own: idempotent by key, retract undoes, users never mix."""

import datetime as dt

import pytest
from django.utils import timezone

from curriculum import progress
from curriculum.models import ModuleProgress, PlanItem, ProgressEvent
from prep.accounts import services as account_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def onboard(user, role="mle", days=28, weekly_hours=10):
    profile = account_services.profile_get_or_create(user=user)
    account_services.profile_update(
        profile=profile,
        data={
            "role": role,
            "weekly_hours": weekly_hours,
            "weekdays": [0, 1, 2, 3, 4, 5, 6],
            "timezone": "UTC",
            "target_companies": "",
            "interview_date": timezone.now().date() + dt.timedelta(days=days),
        },
    )
    return user.plan


def solve(user, n, tags=("hashing", "medium")):
    return progress.record(
        user,
        key=f"drills:solved:{n}",
        area="coding",
        kind="drill_solved",
        tags=tags,
        occurred_at=timezone.now(),
    )


def module_items(user, slug):
    return PlanItem.objects.filter(user=user, module__slug=slug)


@pytest.fixture
def planned_user():
    user = UserFactory(profile=None)
    onboard(user)
    return user


def test_a_repeated_key_changes_nothing(planned_user):
    assert solve(planned_user, 1) is True
    assert solve(planned_user, 1) is False
    assert ProgressEvent.objects.filter(user=planned_user).count() == 1
    row = ModuleProgress.objects.get(user=planned_user, module__slug="coding-arrays-hashing")
    assert (row.done, row.target, row.complete) == (1, 3, False)


def test_items_complete_by_themselves_when_the_rule_is_met(planned_user):
    for n in range(3):
        solve(planned_user, n)
    items = module_items(planned_user, "coding-arrays-hashing")
    assert items.exists()
    assert set(items.values_list("status", "auto_done")) == {("done", True)}


def test_a_retract_undoes_what_it_completed(planned_user):
    for n in range(3):
        solve(planned_user, n)
    assert progress.retract(planned_user, key="drills:solved:1") is True
    assert progress.retract(planned_user, key="drills:solved:1") is False
    items = module_items(planned_user, "coding-arrays-hashing")
    assert set(items.values_list("status", flat=True)) == {"pending"}
    row = ModuleProgress.objects.get(user=planned_user, module__slug="coding-arrays-hashing")
    assert (row.done, row.complete) == (2, False)
    # Reported again after the retraction: it counts again.
    assert solve(planned_user, 1) is True
    assert set(
        module_items(planned_user, "coding-arrays-hashing").values_list("status", flat=True)
    ) == {"done"}


def test_a_retract_never_reopens_what_the_user_ticked_by_hand(planned_user):
    item = module_items(planned_user, "coding-arrays-hashing").first()
    from curriculum import plans

    plans.item_complete(item=item)
    for n in range(3):
        solve(planned_user, n)
    progress.retract(planned_user, key="drills:solved:0")
    item.refresh_from_db()
    assert item.status == "done" and not item.auto_done


def test_events_for_another_user_never_touch_this_users_plan(planned_user):
    other = UserFactory(profile=None)
    onboard(other)
    for n in range(3):
        solve(other, n)
    assert set(
        module_items(planned_user, "coding-arrays-hashing").values_list("status", flat=True)
    ) == {"pending"}
    assert not ModuleProgress.objects.filter(user=planned_user).exists()


def test_events_that_lack_a_tag_do_not_count(planned_user):
    for n in range(3):
        solve(planned_user, n, tags=("hashing", "easy"))
    assert not ModuleProgress.objects.filter(
        user=planned_user, module__slug="coding-arrays-hashing"
    ).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "drill_exploded", "area": "coding"}, "unknown progress kind"),
        ({"kind": "drill_solved", "area": "cooking"}, "unknown area"),
    ],
)
def test_the_seam_refuses_unknown_kinds_and_areas(planned_user, kwargs, message):
    with pytest.raises(progress.ProgressError, match=message):
        progress.record(planned_user, key="x", occurred_at=timezone.now(), **kwargs)


def test_counts_beyond_the_target_survive_retractions(planned_user):
    for n in range(5):
        solve(planned_user, n)
    progress.retract(planned_user, key="drills:solved:0")
    row = ModuleProgress.objects.get(user=planned_user, module__slug="coding-arrays-hashing")
    assert (row.done, row.shown_done, row.complete) == (4, 3, True)
    progress.retract(planned_user, key="drills:solved:1")
    progress.retract(planned_user, key="drills:solved:2")
    row.refresh_from_db()
    assert (row.done, row.complete) == (2, False)
    # A full re-evaluation agrees with the incremental counts.
    progress.refresh(planned_user, kinds={"drill_solved"})
    row.refresh_from_db()
    assert (row.done, row.complete) == (2, False)
