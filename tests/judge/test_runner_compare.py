"""The judge's comparison of outputs: lists of floats (an array's output) are compared at
once, and must say exactly what comparing them one number at a time says."""

from __future__ import annotations

import math
import random

import pytest

from prep.judge.runner import same

RTOL, ATOL = 1e-6, 1e-8


def one_by_one(actual, expected) -> bool:
    """The rule, number by number: ``math.isclose``; NaN only NaN; infinities exactly."""
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(one_by_one(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    if math.isinf(expected) or math.isinf(actual):
        return expected == actual
    return math.isclose(actual, expected, rel_tol=RTOL, abs_tol=ATOL)


def nudged(rng: random.Random, x: float) -> float:
    return rng.choice(
        [
            x,
            x * (1 + rng.choice([1e-7, -1e-7, 9.99e-7, 1.0000005e-6, -1.0000005e-6, 1.001e-6])),
            x + rng.choice([1e-9, -5e-9, 1e-8, 2e-8]),
            -x,
            0.0,
            math.inf,
            -math.inf,
            math.nan,
        ]
    )


@pytest.mark.parametrize("seed", range(40))
def test_arrays_of_floats_compare_as_their_numbers_do(seed):
    rng = random.Random(seed)
    shape = rng.choice([(7,), (3, 4), (2, 2, 3)])
    size = math.prod(shape)
    expected = [rng.choice([rng.gauss(0, 1), rng.gauss(0, 1e6), 1e-9, 0.0]) for _ in range(size)]
    # Mostly one element changed (the case that must not slip through), sometimes none.
    actual = list(expected)
    for _ in range(rng.choice([0, 1, 1, 3])):
        i = rng.randrange(size)
        actual[i] = nudged(rng, expected[i])

    def shaped(flat):
        for n in reversed(shape[1:]):
            flat = [flat[i : i + n] for i in range(0, len(flat), n)]
        return flat

    a, e = shaped(actual), shaped(expected)
    assert same(a, e, RTOL, ATOL) == one_by_one(a, e)


@pytest.mark.parametrize(
    ("actual", "expected", "verdict"),
    [
        ([1.0, 2.0], [1.0, 2.0], True),
        ([1.0, 2.0 + 1e-7], [1.0, 2.0], True),
        ([1.0, 2.1], [1.0, 2.0], False),
        # Within the tolerance of the larger of the two only: isclose is symmetric.
        ([1.0, 3.0 * (1 + 1.0000005e-6)], [1.0, 3.0], True),
        ([1.0, 2.0], [1.0, 2.0, 3.0], False),  # a shorter output
        ([[1.0, 2.0]], [1.0, 2.0], False),  # another shape
        ([1.0, 2.0, 3.0, 4.0], [[1.0, 2.0], [3.0, 4.0]], False),
        ([1, 2.0], [1.0, 2.0], True),  # an int is a number too (compared one by one)
        ([True, 2.0], [1.0, 2.0], False),  # a bool is not
        ([{"__float__": "nan"}, 1.0], [math.nan, 1.0], True),
        ([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0]], True),  # ragged: one by one
    ],
)
def test_edges_of_the_comparison(actual, expected, verdict):
    assert same(actual, expected, RTOL, ATOL) is verdict
