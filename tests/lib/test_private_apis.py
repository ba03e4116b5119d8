"""Pins on the two private APIs of libraries that Prep leans on, where no public one does the
job. Each test says what we rely on and why, so an upgrade that breaks it fails here, with the
reason, instead of somewhere obscure.
"""

import pytest

pytestmark = pytest.mark.django_db


def test_pytest_django_still_says_which_databases_the_collected_tests_need(request):
    """tests/conftest.py's ``django_db_setup`` loads the catalogue only when the run has a
    test database. pytest-django decides that in the private ``_get_databases_for_setup``
    (no public equivalent); asking it keeps the two decisions the same. This module's tests
    use the database, so the answer for this session includes ``default``."""
    from pytest_django.fixtures import _get_databases_for_setup

    databases, _serialized = _get_databases_for_setup(request.session.items)
    assert "default" in databases


def test_the_deletion_collector_hands_on_delete_the_users_being_deleted(alice, monkeypatch):
    """``Transcript.user``'s ``on_delete`` (prep/transcripts/deletion.py) reads the users a
    delete will remove from ``collector.data`` (private) and sets ``lazy_sub_objs`` so Django
    calls it even for users who own no transcript (their peers' transcripts still lose their
    speech). A ``pre_delete`` signal comes too late: the cascade is already collected. So we
    pin both behaviours here, on a user with no transcript, without deleting anything."""
    from django.db.models.deletion import Collector

    from prep.transcripts import services

    calls = []
    monkeypatch.setattr(
        services, "transcripts_on_account_delete", lambda *, user_ids: calls.append(user_ids) or []
    )
    Collector(using="default").collect([alice])
    assert calls == [[alice.pk]]
