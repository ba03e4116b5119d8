from __future__ import annotations

import pytest

from tests.drills.factories import problem


@pytest.fixture
def sliding():
    """A medium sliding-window problem."""
    return problem("longest-substring-without-repeating-characters")


@pytest.fixture
def two_sum():
    return problem("two-sum")
