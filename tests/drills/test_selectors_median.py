"""The coverage page's medians come from counted (minutes, how many) rows: the same figure
as the median of the attempts themselves."""

import statistics
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from prep.drills.selectors import _median_of_counts


@given(st.lists(st.integers(min_value=1, max_value=300), max_size=60))
def test_same_as_the_median_of_every_value(values):
    counts = sorted(Counter(values).items())
    expected = statistics.median(values) if values else None
    assert _median_of_counts(counts) == expected
