import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prep.accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def valid_data(**overrides):
    data = {
        "role": "mle",
        "interview_date": (timezone.now().date() + dt.timedelta(days=30)).isoformat(),
        "weekly_hours": "12",
        "weekdays": ["0", "2", "4"],
        "timezone": "Europe/Berlin",
        "target_companies": "Acme, Globex",
    }
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(client):
    user = UserFactory(email="new@example.com", profile=None)
    client.force_login(user)
    return user


def test_signup_goes_straight_to_onboarding(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "dana@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:onboarding")
    # Any other page sends an un-onboarded user back to onboarding.
    assert client.get(reverse("dashboard:today"))["Location"] == reverse("accounts:onboarding")


def test_signup_with_taken_email_is_refused_with_a_message(client, alice):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "alice@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()


def test_signup_with_weak_password_is_refused(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "erin@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert (
        "too common" in response.content.decode() or "entirely numeric" in response.content.decode()
    )


def test_onboarding_saves_profile_and_lands_on_dashboard(client, newcomer):
    response = client.post(reverse("accounts:onboarding"), valid_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:today")
    profile = Profile.objects.get(user=newcomer)
    assert profile.role == "mle"
    assert profile.weekdays == [0, 2, 4]
    assert profile.timezone == "Europe/Berlin"
    assert profile.is_onboarded
    page = client.get(reverse("dashboard:today")).content.decode()
    assert "ML engineer" in page


def test_onboarding_without_interview_date_defaults_to_four_weeks(client, newcomer):
    client.post(reverse("accounts:onboarding"), valid_data(interview_date="", timezone="UTC"))
    profile = Profile.objects.get(user=newcomer)
    assert profile.interview_date == timezone.now().date() + dt.timedelta(days=28)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interview_date", "2020-01-01", "must be in the future"),
        ("interview_date", "31/02/2027", "Enter a date as YYYY-MM-DD."),
        ("interview_date", "not-a-date", "Enter a date as YYYY-MM-DD."),
        ("weekly_hours", "0", "Plan at least 1 hour a week."),
        ("weekly_hours", "-3", "Plan at least 1 hour a week."),
        ("weekly_hours", "lots", "Enter a whole number of hours."),
        ("weekdays", [], "Pick at least one weekday."),
        ("weekdays", ["9"], "Select a valid choice"),
        ("timezone", "Mars/Olympus", "is not a timezone Prep knows"),
        ("role", "astronaut", "Select a valid choice"),
        ("role", "", "Choose the role type"),
    ],
)
def test_onboarding_bad_input_shows_message_and_saves_nothing(
    client, newcomer, field, value, message
):
    response = client.post(reverse("accounts:onboarding"), valid_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = Profile.objects.filter(user=newcomer).first()
    assert profile is None or not profile.is_onboarded


def test_profile_page_edits_the_same_answers(alice_client, alice):
    page = alice_client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    response = alice_client.post(
        reverse("accounts:profile"), valid_data(role="research", weekly_hours="6")
    )
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.role == "research"
    assert alice.profile.weekly_hours == 6


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboard:today"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_unknown_url_renders_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Prep" in response.content.decode()
