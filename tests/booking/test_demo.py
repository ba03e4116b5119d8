import random

import pytest

from curriculum.models import ProgressEvent
from prep.booking.models import Booking, Window
from tooling.demo import booking as demo

pytestmark = pytest.mark.django_db


def test_seed_builds_availability_history_and_an_upcoming_mock(alice):
    summary = demo.seed(alice, days=10, rng=random.Random(3))
    assert summary.startswith("2 windows, 2 past peer mocks")
    assert Window.objects.filter(user=alice).count() == 2
    assert Booking.objects.filter(guest=alice).count() == 3
    assert ProgressEvent.objects.filter(user=alice, kind="mock_completed").count() == 2
