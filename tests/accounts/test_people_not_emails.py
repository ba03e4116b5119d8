"""People, not emails: peers see a display name chosen at onboarding (or a neutral default),
never an email address or a username made from one — on pages, in emails and in invites."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prep.accounts.models import Profile
from prep.accounts.people import default_name, display_name
from prep.booking import services as booking_services
from tests.booking.factories import SlotFactory, verify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def host():
    user = UserFactory(email="zelda.private@example.com", username="zelda.private")
    return verify(user)


def test_the_slots_page_names_the_host_without_their_email(client, host, bob):
    SlotFactory(host=host)
    client.force_login(verify(bob))
    page = client.get(reverse("booking:slots")).content.decode()
    assert "zelda.private" not in page and "@example.com" not in page
    assert default_name(host.pk) in page
    Profile.objects.filter(user=host).update(display_name="Zee")
    page = client.get(reverse("booking:slots")).content.decode()
    assert "Zee" in page and "zelda.private" not in page


def test_the_invite_names_the_app_and_the_display_name_never_the_peers_email(client, host, bob):
    Profile.objects.filter(user=host).update(display_name="Zee")
    booking = booking_services.booking_create(
        guest=verify(bob),
        slot=SlotFactory(host=host, starts_at=timezone.now() + dt.timedelta(days=2)),
    )
    client.force_login(bob)
    ics = client.get(reverse("booking:invite_ics", args=[booking.pk])).content.decode()
    assert "zelda" not in ics.lower()
    assert "Prep peer mock" in ics and "with Zee" in ics
    # Still available after an immediate cancel: still without the address.
    booking_services.booking_cancel(booking=booking, by=bob, reason="Clash")
    ics = client.get(reverse("booking:invite_ics", args=[booking.pk])).content.decode()
    assert "zelda" not in ics.lower() and "STATUS:CANCELLED" in ics


def test_onboarding_takes_an_optional_display_name_by_plain_form_post(client):
    data = {
        "email": "newbie.secret@example.com",
        "password1": "a-long-pass-phrase-9",
        "password2": "a-long-pass-phrase-9",
    }
    assert client.post(reverse("account_signup"), data)["Location"] == reverse(
        "accounts:onboarding"
    )
    form = {"role": "mle", "weekly_hours": "8", "weekdays": ["0", "3"], "timezone": "UTC"}
    assert client.post(reverse("accounts:onboarding"), form).status_code == 302
    profile = Profile.objects.get(user__email="newbie.secret@example.com")
    assert profile.display_name == ""
    name = display_name(profile.user)
    assert name.startswith("Peer ") and "newbie" not in name and "secret" not in name
    response = client.post(reverse("accounts:profile"), {**form, "display_name": "me@example.com"})
    assert "cannot be an email" in response.content.decode()
    client.post(reverse("accounts:profile"), {**form, "display_name": "  Nova   K. "})
    profile.refresh_from_db()
    assert profile.display_name == "Nova K." and display_name(profile.user) == "Nova K."
