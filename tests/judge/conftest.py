import pytest

from tests.conftest import unavailable


@pytest.fixture(scope="session")
def real_sandbox():
    """The real bubblewrap sandbox; under CI=true its absence fails the test."""
    from prep.judge import sandbox

    reason = sandbox.probe()
    if reason:
        unavailable(f"the judge sandbox is not available: {reason}")
