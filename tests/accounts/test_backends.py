"""The authentication backends load the profile with the user: one query for both."""

import pytest
from django.contrib.auth import get_user
from django.test import RequestFactory
from django.urls import reverse

from prep.accounts.backends import AuthenticationBackend, ModelBackend
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
