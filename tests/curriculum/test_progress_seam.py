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


def _seam_state(user):
    return {
        "events": sorted(
            (e.key, e.kind, e.tags, e.amount, e.occurred_at, e.retracted_at is None)
            for e in ProgressEvent.objects.filter(user=user)
        ),
        "modules": sorted(
            (p.module.slug, p.done, p.target, p.complete)
            for p in ModuleProgress.objects.filter(user=user).select_related("module")
        ),
        "items": sorted(
            (i.module.slug, i.date, i.session_index, i.status, i.auto_done, i.done_at)
            for i in PlanItem.objects.filter(user=user).select_related("module")
        ),
    }


@pytest.mark.parametrize("rekind", [False, True], ids=["same-kinds", "a-kind-changes"])
def test_record_many_leaves_what_the_calls_one_by_one_leave(travel, rekind):
    """Without a report changing kind, every count comes from the deltas; with one, the
    kinds involved are re-evaluated from the events, as ``record`` does."""
    travel("2027-01-13 10:00", tick=False)
    when = timezone.now() - dt.timedelta(hours=1)
    users = [UserFactory(profile=None), UserFactory(profile=None)]
    for user in users:
        onboard(user)
        solve(user, 1)  # active: reported again, it changes nothing
        solve(user, 2)  # retracted below: reported again, it counts again
        progress.record(
            user,
            key="drills:solved:3",
            area="coding",
            kind="drill_attempted" if rekind else "drill_solved",
            tags=("hashing", "medium"),
            occurred_at=when,
        )  # retracted below: reported again (as another kind, or the same)
        solve(user, 4)  # active: retracted in the batch
        progress.retract(user, key="drills:solved:2")
        progress.retract(user, key="drills:solved:3")
    reports = [
        progress.Report(
            key=f"drills:solved:{n}",
            area="coding",
            kind="drill_solved",
            tags=("hashing", "medium"),
            occurred_at=when,
        )
        for n in (1, 2, 3, 5, 6, 6, 7)
    ] + [
        progress.Report(
            key="drills:solved:8",
            area="coding",
            kind="drill_solved",
            tags=("two_pointers", "medium"),
            occurred_at=when,
        )
    ]
    retract = ["drills:solved:4", "drills:solved:9", "drills:solved:4"]
    one_by_one, bulk = users
    changed = sum(
        progress.record(
            one_by_one, key=r.key, area=r.area, kind=r.kind, tags=r.tags, occurred_at=r.occurred_at
        )
        for r in reports
    ) + sum(progress.retract(one_by_one, key=k) for k in retract)
    assert progress.record_many(bulk, reports, retract=retract) == changed == 7
    got = _seam_state(bulk)
    assert got == _seam_state(one_by_one)
    assert ("coding-arrays-hashing", 6, 3, True) in got["modules"]
    assert ("coding-two-pointers", 1, 3, False) in got["modules"]
    assert {i[3:5] for i in got["items"] if i[0] == "coding-arrays-hashing"} == {("done", True)}


@pytest.mark.parametrize(
    ("reports", "retract", "message"),
    [
        ([("drills:solved:1", 1)], ["drills:solved:1"], "both recorded and retracted"),
        ([("drills:solved:1", 0)], [], "positive amounts only"),
        ([("", 1)], [], "needs a key"),
    ],
)
def test_record_many_refuses_what_it_cannot_do_in_one_go(planned_user, reports, retract, message):
    batch = [
        progress.Report(
            key=key, area="coding", kind="drill_solved", amount=amount, occurred_at=timezone.now()
        )
        for key, amount in reports
    ]
    with pytest.raises(progress.ProgressError, match=message):
        progress.record_many(planned_user, batch, retract=retract)
    assert not ProgressEvent.objects.filter(user=planned_user).exists()


def test_announced_once_holds_the_signal_and_sends_it_once_per_user():
    """What a commit runs (``signals._Send``) is held in the block and sent once per user at
    its end. (In a test transaction nothing commits, so the sends are called directly.)"""
    from curriculum import signals

    sent = []

    def listener(sender, user_id, **kwargs):
        sent.append(user_id)

    signals.progress_changed.connect(listener)
    try:
        with signals.announced_once():
            for user_id in (7, 3, 7, 7, 3):  # five commits of two users' reports
                signals._Send(user_id)()
            with signals.announced_once():  # nested: the outer block sends
                signals._Send(5)()
            assert sent == []
        assert sent == [3, 5, 7]
        signals._Send(7)()
        assert sent == [3, 5, 7, 7]  # outside the block: at each commit again
    finally:
        signals.progress_changed.disconnect(listener)
