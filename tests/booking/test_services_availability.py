"""Availability → slots: the daylight-saving matrix and the slot sync rules."""

import datetime as dt

import pytest

from prep.booking import services
from prep.booking.models import Booking, Slot, Window
from tests.booking.factories import SlotFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


# Weekly "Tuesday 18:00-19:00" in each timezone, one week before and one week after a
# daylight-saving change (2027): the local time stays 18:00, the UTC instant moves.
DST_MATRIX = [
    # Chicago: CST (UTC-6) -> CDT (UTC-5) on Sunday 14 March 2027.
    ("America/Chicago", "2027-03-08", ["2027-03-10 00:00", "2027-03-16 23:00"]),
    # Chicago: CDT -> CST on Sunday 7 November 2027.
    ("America/Chicago", "2027-11-01", ["2027-11-02 23:00", "2027-11-10 00:00"]),
    # Berlin: CET (UTC+1) -> CEST (UTC+2) on Sunday 28 March 2027.
    ("Europe/Berlin", "2027-03-22", ["2027-03-23 17:00", "2027-03-30 16:00"]),
    # Berlin: CEST -> CET on Sunday 31 October 2027.
    ("Europe/Berlin", "2027-10-25", ["2027-10-26 16:00", "2027-11-02 17:00"]),
    # Sydney: AEDT (UTC+11) -> AEST (UTC+10) on Sunday 4 April 2027.
    ("Australia/Sydney", "2027-03-29", ["2027-03-30 07:00", "2027-04-06 08:00"]),
    # Sydney: AEST -> AEDT on Sunday 3 October 2027.
    ("Australia/Sydney", "2027-09-27", ["2027-09-28 08:00", "2027-10-05 07:00"]),
    # Kolkata: no daylight saving, UTC+5:30 all year.
    ("Asia/Kolkata", "2027-03-08", ["2027-03-09 12:30", "2027-03-16 12:30"]),
    ("Asia/Kolkata", "2027-11-01", ["2027-11-02 12:30", "2027-11-09 12:30"]),
]


@pytest.mark.parametrize(("tz", "monday", "expected"), DST_MATRIX)
def test_weekly_window_keeps_its_local_time_across_dst(tz, monday, expected):
    window = Window(
        kind="ml_system_design",
        weekday=1,
        start_time=dt.time(18),
        end_time=dt.time(19),
        timezone=tz,
        minutes=60,
    )
    start = dt.date.fromisoformat(monday)
    got = services.window_intervals(window, start=start, end=start + dt.timedelta(days=14))
    assert [s for s, _ in got] == [utc(e) for e in expected]
    assert all(e - s == dt.timedelta(hours=1) for s, e in got)
    # Read back in the window's zone, every slot starts at 18:00 local.
    assert {s.astimezone(window.tzinfo).time() for s, _ in got} == {dt.time(18)}


def test_window_is_cut_into_slots_of_the_mock_length():
    window = Window(weekday=1, start_time=dt.time(18), end_time=dt.time(21), timezone="Europe/Berlin",
                    minutes=45, kind="coding")  # fmt: skip
    got = services.window_intervals(window, start=dt.date(2027, 3, 22), end=dt.date(2027, 3, 24))
    # 18:00, 18:45, 19:30, 20:15 CET; a fifth would pass 21:00.
    assert [s for s, _ in got] == [
        utc("2027-03-23 17:00"),
        utc("2027-03-23 17:45"),
        utc("2027-03-23 18:30"),
        utc("2027-03-23 19:15"),
    ]


def test_window_in_the_spring_forward_gap_uses_the_offset_before_the_change():
    # 02:30 does not exist in Chicago on 14 March 2027; read as CST it is 08:30 UTC.
    window = Window(weekday=6, start_time=dt.time(2, 30), end_time=dt.time(4, 0),
                    timezone="America/Chicago", minutes=30, kind="coding")  # fmt: skip
    got = services.window_intervals(window, start=dt.date(2027, 3, 14), end=dt.date(2027, 3, 15))
    assert got[0][0] == utc("2027-03-14 08:30")
    # 04:00 CDT is 09:00 UTC: one real half hour fits.
    assert [s for s, _ in got] == [utc("2027-03-14 08:30")]


def test_one_off_window_gives_slots_on_its_date_only():
    window = Window(date=dt.date(2027, 3, 17), start_time=dt.time(9), end_time=dt.time(11),
                    timezone="Asia/Kolkata", minutes=60, kind="behavioral")  # fmt: skip
    got = services.window_intervals(window, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 29))
    assert [s for s, _ in got] == [utc("2027-03-17 03:30"), utc("2027-03-17 04:30")]


@pytest.mark.parametrize(
    ("viewer_tz", "first", "second"),
    [
        ("Europe/Berlin", "Wed 10 Mar, 01:00", "Wed 17 Mar, 00:00"),
        ("Asia/Kolkata", "Wed 10 Mar, 05:30", "Wed 17 Mar, 04:30"),
        ("America/Chicago", "Tue 9 Mar, 18:00", "Tue 16 Mar, 18:00"),
    ],
)
def test_viewer_in_another_timezone_sees_the_same_instants(
    client, alice, bob, viewer_tz, first, second, travel
):
    travel("2027-03-08 12:00")  # the slots are in the future whatever the pinned date
    alice.profile.timezone = "America/Chicago"
    alice.profile.save()
    services.window_create(
        user=alice,
        kind="ml_system_design",
        weekday=1,
        start_time=dt.time(18),
        end_time=dt.time(19),
        now=utc("2027-03-08 12:00"),
    )
    # Only the weeks around the change matter here.
    Slot.objects.filter(starts_at__gt=utc("2027-03-17 00:00")).delete()
    assert list(Slot.objects.values_list("starts_at", flat=True)) == [
        utc("2027-03-10 00:00"),
        utc("2027-03-16 23:00"),
    ]
    bob.profile.timezone = viewer_tz
    bob.profile.save()
    client.force_login(bob)
    html = client.get("/booking/slots/?kind=ml_system_design").content.decode()
    assert first in html and second in html
    assert 'datetime="2027-03-10T00:00:00+00:00"' in html
    assert 'datetime="2027-03-16T23:00:00+00:00"' in html


def test_window_create_refuses_bad_windows(alice):
    with pytest.raises(services.BookingError, match="end after it starts"):
        services.window_create(user=alice, kind="coding", weekday=1,
                               start_time=dt.time(18), end_time=dt.time(17))  # fmt: skip
    with pytest.raises(services.BookingError, match="shorter than one 60-minute"):
        services.window_create(user=alice, kind="coding", weekday=1, minutes=60,
                               start_time=dt.time(18), end_time=dt.time(18, 30))  # fmt: skip
    with pytest.raises(services.BookingError, match="either a weekday"):
        services.window_create(user=alice, kind="coding", start_time=dt.time(18),
                               end_time=dt.time(19))  # fmt: skip
    with pytest.raises(services.BookingError, match="not a mock kind"):
        services.window_create(user=alice, kind="chess", weekday=1,
                               start_time=dt.time(18), end_time=dt.time(19))  # fmt: skip
    assert not Window.objects.exists()


def test_slots_follow_the_windows_but_booked_slots_stay(alice, bob):
    now = utc("2027-03-01 12:00")
    window = services.window_create(user=alice, kind="ml_system_design", weekday=1,
                                    start_time=dt.time(18), end_time=dt.time(20), now=now)  # fmt: skip
    # 4 Tuesdays in 28 days x 2 slots.
    assert Slot.objects.filter(host=alice).count() == 8
    # Syncing again changes nothing.
    assert services.slots_sync(user=alice, now=now) == 0
    assert Slot.objects.filter(host=alice).count() == 8
    booked = Slot.objects.filter(host=alice).first()
    Booking.objects.create(slot=booked, host=alice, guest=bob, kind=booked.kind,
                           prompt_id=_prompt_id(), starts_at=booked.starts_at,
                           ends_at=booked.ends_at)  # fmt: skip
    services.window_delete(window=window, now=now)
    assert list(Slot.objects.filter(host=alice)) == [booked]


def test_past_slots_are_never_created(alice):
    now = utc("2027-03-02 18:30")  # a Tuesday, 18:30 UTC
    services.window_create(user=alice, kind="ml_system_design", weekday=1, timezone_name="UTC",
                           start_time=dt.time(18), end_time=dt.time(20), now=now)  # fmt: skip
    first = Slot.objects.filter(host=alice).order_by("starts_at").first()
    assert first.starts_at == utc("2027-03-02 19:00")


def test_slots_are_unique_per_host_kind_and_start(alice):
    from django.db import IntegrityError, transaction

    slot = SlotFactory(host=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotFactory(host=alice, starts_at=slot.starts_at)


def _prompt_id():
    from prep.mocks.models import Prompt

    return Prompt.objects.filter(kind="ml_system_design").values_list("pk", flat=True)[0]
