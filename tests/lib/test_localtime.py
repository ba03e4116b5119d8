"""The one helper for a user's local day (prep.lib.localtime) and the middleware that
activates the profile's timezone for each request."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from prep.lib.localtime import day_of, local_day, zone

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_the_local_day_is_the_users_not_utcs():
    now = dt.datetime(2026, 3, 9, 16, 30, tzinfo=dt.UTC)  # 01:30 on the 10th in Tokyo
    day = local_day(TOKYO, now)
    assert day.date == dt.date(2026, 3, 10)
    assert day.start == dt.datetime(2026, 3, 10, tzinfo=TOKYO)
    assert day.end == dt.datetime(2026, 3, 11, tzinfo=TOKYO)
    assert day.start <= now < day.end


def test_a_day_that_springs_forward_is_23_hours_long():
    day = local_day(NEW_YORK, dt.datetime(2026, 3, 8, 15, tzinfo=dt.UTC))
    assert day.date == dt.date(2026, 3, 8)
    assert day.end.astimezone(dt.UTC) - day.start.astimezone(dt.UTC) == dt.timedelta(hours=23)


def test_a_named_day_that_falls_back_is_25_hours_long():
    day = day_of(dt.date(2026, 11, 1), NEW_YORK)
    assert day.start == dt.datetime(2026, 11, 1, tzinfo=NEW_YORK)
    assert day.end.astimezone(dt.UTC) - day.start.astimezone(dt.UTC) == dt.timedelta(hours=25)


@pytest.mark.parametrize("name", ["", None, "Mars/Olympus", "../etc"])
def test_an_unknown_zone_name_is_utc(name):
    assert zone(name) == zoneinfo.ZoneInfo("UTC")


@pytest.mark.django_db
def test_the_profile_timezone_is_active_for_the_request_and_only_then(client, alice):
    from django.urls import reverse

    from prep.accounts.models import Profile

    Profile.objects.filter(user=alice).update(timezone="Asia/Tokyo")
    client.force_login(alice)
    response = client.get(reverse("dashboard:today"))
    assert response.status_code == 200
    assert response.context["today"] == local_day(TOKYO).date
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated afterwards
