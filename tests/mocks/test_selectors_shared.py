"""The mocks reads other apps compose (the dashboard's weak dimensions, readiness's recent
scores): their rules are tested here, with their owner."""

import datetime as dt

import pytest

from prep.mocks import selectors

from .factories import completed_mock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)


def test_a_dimension_is_weak_below_2_5_over_the_last_30_days(alice):
    completed_mock(alice, value=1, at=NOW - dt.timedelta(days=40))  # too old to count
    completed_mock(alice, value=2, at=NOW - dt.timedelta(days=3))
    completed_mock(alice, value=3, at=NOW - dt.timedelta(days=2))  # mean 2.5: not weak
    assert selectors.weak_dimensions(user=alice, now=NOW) == []
    completed_mock(alice, value=1, at=NOW - dt.timedelta(days=1))  # mean 2.0: weak
    weak = selectors.weak_dimensions(user=alice, now=NOW, limit=3)
    assert len(weak) == 3
    assert all(row["mean"] == 2.0 and row["feedback__kind"] == "ml_system_design" for row in weak)


def test_recent_scores_keep_the_newest_per_kind_and_say_who_scored(alice):
    for n, value in enumerate([1, 2, 3, 4]):
        completed_mock(alice, value=value, at=NOW - dt.timedelta(days=10 - n))
    recent = selectors.recent_scores(user=alice, kinds=["ml_system_design", "coding"], per_kind=3)
    assert recent == {"ml_system_design": [(4.0, False), (3.0, False), (2.0, False)]}
