"""The authentication backends load the profile with the user: one query for both."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prep.accounts.backends import (
    AuthenticationBackend,
    ModelBackend,
    load_user,
    users_with_profile,
)
from prep.accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_user_comes_with_the_profile_in_one_query(alice, backend, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = backend().get_user(alice.pk)
        assert user.profile.role == alice.profile.role  # no second query


def test_a_user_without_a_profile_still_signs_in_and_is_sent_to_onboarding(client):
    user = UserFactory(email="new@example.com", profile=None)
    client.force_login(user)
    response = client.get(reverse("dashboard:today"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:onboarding")


def test_inactive_and_unknown_users_are_signed_out(alice, client):
    client.force_login(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    request = RequestFactory().get("/")
    request.session = client.session
    assert not get_user(request).is_authenticated
    assert ModelBackend().get_user(10**9) is None


# --- load_user: the statement written once, held to the ORM's (users_with_profile) -------
NOW = dt.datetime(2026, 3, 9, 12, 30, 15, 123456, tzinfo=dt.UTC)


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same_as_the_orm(user_id):
    """load_user's user against the ORM's, field by field, with the profile and the flag."""
    expected = users_with_profile().filter(pk=user_id).first()
    loaded = load_user(user_id)
    if expected is None:
        assert loaded is None
        return None
    assert type(loaded) is type(expected)
    assert _fields(loaded) == _fields(expected)
    assert loaded.email_verified is expected.email_verified
    assert loaded._state.db == expected._state.db and loaded._state.adding is False
    expected_profile = getattr(expected, "profile", None)
    with CaptureQueriesContext(connection) as queries:
        profile = getattr(loaded, "profile", None)
    assert not queries.captured_queries  # cached, present or absent, as select_related does
    if expected_profile is None:
        assert profile is None
        with pytest.raises(Profile.DoesNotExist):
            loaded.profile  # noqa: B018
    else:
        assert _fields(profile) == _fields(expected_profile)
        assert profile.user is loaded
        assert profile._state.db == expected_profile._state.db
        assert profile._state.adding is False
    return loaded


def test_load_user_reads_what_the_orm_reads_field_by_field(bob):
    user = UserFactory(email="full@example.com", first_name="Zoë", last_name="O'Brien")
    user.last_login = NOW
    user.save()
    Profile.objects.filter(user=user).update(
        display_name="Zoë <b>",
        role="research",
        interview_date=dt.date(2026, 4, 1),
        weekly_hours=12,
        weekdays=[0, 2, 6],
        timezone="Asia/Tokyo",
        target_companies="Acme, Initech",
        onboarded_at=NOW,
        welcome_email_sent_at=None,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    loaded = _same_as_the_orm(user.pk)
    assert loaded.email_verified is True
    assert loaded.last_login == NOW and loaded.profile.onboarded_at == NOW
    assert loaded.profile.weekdays == [0, 2, 6]
    assert loaded.profile.interview_date == dt.date(2026, 4, 1)
    assert loaded.profile.tzinfo.key == "Asia/Tokyo"


def test_load_user_says_verified_only_for_the_users_own_verified_address(alice, bob):
    EmailAddress.objects.create(user=bob, email=bob.email, verified=True, primary=True)
    assert _same_as_the_orm(alice.pk).email_verified is False  # no address; bob's is not hers
    EmailAddress.objects.create(user=alice, email=alice.email, verified=False, primary=True)
    assert _same_as_the_orm(alice.pk).email_verified is False  # unverified
    EmailAddress.objects.create(user=alice, email="alt@example.com", verified=True)
    assert _same_as_the_orm(alice.pk).email_verified is True  # one of two verified
    assert _same_as_the_orm(bob.pk).email_verified is True


def test_load_user_without_a_profile_and_unknown_and_inactive_users(alice):
    no_profile = UserFactory(email="new@example.com", profile=None)
    loaded = _same_as_the_orm(no_profile.pk)
    assert getattr(loaded, "profile", None) is None
    assert _same_as_the_orm(10**9) is None
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert _same_as_the_orm(alice.pk).is_active is False  # read; the backends refuse it
    assert ModelBackend().get_user(alice.pk) is None
    assert AuthenticationBackend().get_user(alice.pk) is None


def test_load_user_is_one_query(alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = load_user(alice.pk)
        assert user.profile.user.pk == alice.pk
        assert user.email_verified is False
