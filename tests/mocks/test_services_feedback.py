"""feedback_submit: one model for solo self-scores and peer (booking) feedback."""

from __future__ import annotations

import pytest

from prep.mocks import services
from prep.mocks.models import DimensionScore, RubricFeedback
from tests.mocks import factories

pytestmark = pytest.mark.django_db


def submit(**kwargs):
    defaults = {"kind": "behavioral", "comments": {}, "notes": "", "context_key": "booking:7"}
    return services.feedback_submit(**{**defaults, **kwargs})


def test_peer_feedback_for_a_booking_is_stored_per_dimension(alice, bob):
    feedback = submit(
        author=bob,
        subject=alice,
        scores={"structure": 3, "ownership": 4, "impact": 2, "reflection": 3},
        comments={"impact": "No numbers in the result."},
        notes="Good stories.",
    )
    assert feedback.solo_mock is None and feedback.context_key == "booking:7"
    assert not feedback.is_self_score
    rows = list(feedback.scores.values_list("dimension", "score", "comment"))
    assert rows == [
        ("structure", 3, ""),
        ("ownership", 4, ""),
        ("impact", 2, "No numbers in the result."),
        ("reflection", 3, ""),
    ]


def test_submitting_again_for_the_same_context_replaces_it(alice, bob):
    submit(author=bob, subject=alice, scores=factories.full_scores("behavioral", 2))
    submit(author=bob, subject=alice, scores=factories.full_scores("behavioral", 4), notes="b")
    feedback = RubricFeedback.objects.get()
    assert feedback.notes == "b"
    assert set(feedback.scores.values_list("score", flat=True)) == {4}
    assert DimensionScore.objects.count() == 4


def test_each_participant_gives_their_own_feedback_on_a_booking(alice, bob):
    submit(author=bob, subject=alice, scores=factories.full_scores("behavioral"))
    submit(author=alice, subject=bob, scores=factories.full_scores("behavioral"))
    assert RubricFeedback.objects.count() == 2


@pytest.mark.parametrize(
    ("scores", "key", "message"),
    [
        ({"structure": 3, "ownership": 3, "impact": 3}, "reflection", "give a score from 1 to 4"),
        (
            {"structure": 0, "ownership": 3, "impact": 3, "reflection": 3},
            "structure",
            "1 (strong no hire) to 4",
        ),
        (
            {"structure": 5, "ownership": 3, "impact": 3, "reflection": 3},
            "structure",
            "to 4 (strong hire)",
        ),
        (
            {"structure": "3.5", "ownership": 3, "impact": 3, "reflection": 3},
            "structure",
            "scores go from",
        ),
        (
            {"structure": True, "ownership": 3, "impact": 3, "reflection": 3},
            "structure",
            "scores go from",
        ),
        (
            {"structure": 3, "ownership": 3, "impact": 3, "reflection": 3, "depth": 2},
            "__all__",
            "'depth' is not a dimension",
        ),
    ],
)
def test_bad_scores_name_the_dimension_and_save_nothing(alice, bob, scores, key, message):
    with pytest.raises(services.FeedbackError) as excinfo:
        submit(author=bob, subject=alice, scores=scores)
    assert any(message in m for m in excinfo.value.message_dict[key])
    assert not RubricFeedback.objects.exists() and not DimensionScore.objects.exists()


def test_unknown_kind_and_missing_target_are_refused(alice, bob):
    with pytest.raises(services.FeedbackError) as excinfo:
        submit(author=bob, subject=alice, kind="karaoke", scores={})
    assert "kind" in excinfo.value.message_dict
    with pytest.raises(services.FeedbackError):
        submit(
            author=bob, subject=alice, scores=factories.full_scores("behavioral"), context_key=""
        )


def test_a_solo_mock_feedback_must_match_its_kind(alice):
    mock = factories.completed_mock(alice, kind="coding")
    with pytest.raises(services.FeedbackError):
        services.feedback_submit(
            author=alice,
            subject=alice,
            kind="behavioral",
            scores=factories.full_scores("behavioral"),
            solo_mock=mock,
        )


def test_a_score_outside_1_to_4_cannot_reach_the_table_even_past_the_service(alice, bob):
    from django.db import IntegrityError, transaction

    feedback = submit(author=bob, subject=alice, scores=factories.full_scores("behavioral"))
    with pytest.raises(IntegrityError), transaction.atomic():
        DimensionScore.objects.create(feedback=feedback, dimension="extra", score=7)
