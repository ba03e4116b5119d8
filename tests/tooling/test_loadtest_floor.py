"""The load test's floor page: served only by the load test's URLconf, signed in, one query
of its own (the user's last attempts) after the session and the user."""

import pytest
from django.test import Client

from tests.budget import SESSION

pytestmark = pytest.mark.django_db


def test_the_product_does_not_serve_the_floor(alice_client):
    assert alice_client.get("/_bench/floor").status_code == 404


def test_the_load_test_serves_it_signed_in_with_one_query_of_its_own(
    settings, alice, django_assert_num_queries
):
    settings.ROOT_URLCONF = "tooling.loadtest.urls"
    client = Client()
    assert client.get("/_bench/floor").status_code == 302  # signed out: to the sign-in
    client.force_login(alice)
    with django_assert_num_queries(SESSION + 2):  # the user (with profile), the attempts
        assert client.get("/_bench/floor").status_code == 200
