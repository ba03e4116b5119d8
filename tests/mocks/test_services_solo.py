"""Solo mocks: the server-side phase timer, notes, self-scoring and the progress seam."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from curriculum.models import ModuleProgress, ProgressEvent
from prep.mocks import services
from prep.mocks.models import PhaseNote, RubricFeedback, SoloMock
from tests.mocks import factories

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)


def start(user, kind="ml_system_design", **kwargs):
    return services.solo_mock_start(user=user, prompt=factories.prompt(kind), now=T0, **kwargs)


def test_start_copies_the_rubric_phases_with_default_or_chosen_minutes(alice):
    mock = start(alice, minutes={"model": 15})
    assert [p["slug"] for p in mock.phases] == [
        "framing",
        "metrics",
        "data",
        "model",
        "serving",
        "monitoring",
        "iteration",
    ]
    assert mock.minutes["model"] == 15
    assert mock.minutes["framing"] == 5
    assert mock.phase_index == 0 and mock.phase_started_at == T0 and mock.is_running


@pytest.mark.parametrize("minutes", [{"model": 0}, {"model": 500}, {"model": "ten"}, {"nope": 5}])
def test_bad_minutes_are_refused_and_nothing_is_created(alice, minutes):
    with pytest.raises(services.MockError):
        start(alice, minutes=minutes)
    assert not SoloMock.objects.exists()


def test_advance_moves_one_phase_and_logs_the_time_spent(alice):
    mock = start(alice)
    mock = services.solo_mock_advance(mock=mock, from_index=0, now=T0 + dt.timedelta(minutes=6))
    assert mock.phase_index == 1
    assert mock.phase_started_at == T0 + dt.timedelta(minutes=6)
    rows = mock.phase_rows(now=T0 + dt.timedelta(minutes=7))
    assert rows[0]["state"] == "done" and rows[0]["spent_seconds"] == 360 and rows[0]["over"]
    assert rows[1]["state"] == "current" and rows[1]["spent_seconds"] == 60
    assert rows[2]["state"] == "next"


def test_a_repeated_or_stale_advance_changes_nothing(alice):
    mock = start(alice)
    services.solo_mock_advance(mock=mock, from_index=0, now=T0 + dt.timedelta(minutes=5))
    again = services.solo_mock_advance(mock=mock, from_index=0, now=T0 + dt.timedelta(minutes=6))
    assert again.phase_index == 1
    assert len(again.phase_log) == 1


def test_leaving_the_last_phase_stops_the_timer_for_scoring(alice):
    mock = start(alice, kind="coding")
    for index in range(len(mock.phases)):
        mock = services.solo_mock_advance(
            mock=mock, from_index=index, now=T0 + dt.timedelta(minutes=5 * (index + 1))
        )
    assert mock.status == SoloMock.Status.SCORING
    assert mock.ended_at == T0 + dt.timedelta(minutes=5 * len(mock.phases))
    assert [e["phase"] for e in mock.phase_log] == [p["slug"] for p in mock.phases]


def test_minutes_can_change_while_running_but_not_after(alice):
    mock = start(alice)
    mock = services.solo_mock_set_minutes(mock=mock, minutes={"data": 12})
    assert mock.minutes["data"] == 12 and mock.minutes["framing"] == 5
    services.solo_mock_finish(mock=mock, now=T0 + dt.timedelta(minutes=1))
    with pytest.raises(services.MockError):
        services.solo_mock_set_minutes(mock=mock, minutes={"data": 3})


def test_notes_are_saved_per_phase_and_the_latest_text_wins(alice):
    mock = start(alice)
    services.phase_note_save(mock=mock, phase="framing", text="users, scale")
    services.phase_note_save(mock=mock, phase="framing", text="users, scale, latency")
    services.phase_note_save(mock=mock, phase="metrics", text="NDCG")
    assert dict(PhaseNote.objects.values_list("phase", "text")) == {
        "framing": "users, scale, latency",
        "metrics": "NDCG",
    }
    with pytest.raises(services.MockError):
        services.phase_note_save(mock=mock, phase="nonsense", text="x")
    with pytest.raises(services.MockError):
        services.phase_note_save(mock=mock, phase="data", text="x" * 20_001)


def test_completing_reports_mock_completed_tagged_with_kind_and_solo(alice):
    mock = start(alice)
    services.solo_mock_finish(mock=mock, now=T0 + dt.timedelta(minutes=44))
    services.solo_mock_complete(
        mock=mock,
        scores=factories.full_scores(value=3),
        comments={"framing": "Asked about scale first."},
        notes="Ran out of time in serving.",
        checklist_covered=[0, 2, 99],
        now=T0 + dt.timedelta(minutes=50),
    )
    mock.refresh_from_db()
    assert mock.is_completed and mock.checklist_covered == [0, 2]
    event = ProgressEvent.objects.get(user=alice)
    assert event.key == f"mocks:solo:{mock.pk}"
    assert (event.kind, event.area) == ("mock_completed", "ml_system_design")
    assert sorted(event.tags) == ["ml_system_design", "solo"]
    feedback = RubricFeedback.objects.get(solo_mock=mock)
    assert feedback.author == feedback.subject == alice
    assert {s.dimension: s.score for s in feedback.scores.all()}["framing"] == 3
    assert feedback.scores.get(dimension="framing").comment == "Asked about scale first."
    # The plan's first solo design module completes from it.
    progress = ModuleProgress.objects.get(user=alice, module__slug="mlsd-solo-mock-1")
    assert progress.complete


@pytest.mark.parametrize(
    ("kind", "area"),
    [
        ("coding", "coding"),
        ("behavioral", "behavioral"),
        ("research_discussion", "research"),
        ("business_case", "business_case"),
    ],
)
def test_each_kind_reports_to_its_area(alice, kind, area):
    mock = factories.completed_mock(alice, kind=kind)
    event = ProgressEvent.objects.get(user=alice, key=mock.progress_key)
    assert event.area == area and sorted(event.tags) == sorted([kind, "solo"])


def test_scoring_again_edits_the_scores_and_reports_once(alice):
    mock = factories.completed_mock(alice, value=2)
    services.solo_mock_complete(mock=mock, scores=factories.full_scores(value=4), comments={})
    assert RubricFeedback.objects.filter(solo_mock=mock).count() == 1
    assert set(
        RubricFeedback.objects.get(solo_mock=mock).scores.values_list("score", flat=True)
    ) == {4}
    assert ProgressEvent.objects.filter(user=alice).count() == 1


def test_a_running_mock_cannot_be_scored(alice):
    mock = start(alice)
    with pytest.raises(services.MockError):
        services.solo_mock_complete(mock=mock, scores=factories.full_scores(), comments={})
    assert not RubricFeedback.objects.exists()


def test_deleting_a_completed_mock_retracts_its_progress(alice):
    mock = factories.completed_mock(alice)
    services.solo_mock_delete(mock=mock)
    assert not SoloMock.objects.exists()
    assert ProgressEvent.objects.get(user=alice).retracted_at is not None
    assert not ModuleProgress.objects.get(user=alice, module__slug="mlsd-solo-mock-1").complete


def test_ending_early_marks_the_phases_not_reached(alice):
    mock = start(alice)
    mock = services.solo_mock_advance(mock=mock, from_index=0, now=T0 + dt.timedelta(minutes=5))
    mock = services.solo_mock_finish(mock=mock, now=T0 + dt.timedelta(minutes=9))
    states = [row["state"] for row in mock.phase_rows()]
    assert states == ["done", "done"] + ["skipped"] * 5
    assert mock.phase_rows()[1]["spent_seconds"] == 240
