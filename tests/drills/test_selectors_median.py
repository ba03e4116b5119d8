"""The coverage page's medians come from counted (minutes, how many) rows: the same figure
as the median of the attempts themselves."""

import statistics
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from prep.drills.selectors import _median_of_counts


@given(st.lists(st.integers(min_value=1, max_value=300), max_size=60), st.randoms())
def test_same_as_the_median_of_every_value_whatever_the_order_of_the_pairs(values, rng):
    counts = list(Counter(values).items())
    rng.shuffle(counts)  # the database returns grouped rows in no particular order
    expected = statistics.median(values) if values else None
    assert _median_of_counts(counts) == expected
