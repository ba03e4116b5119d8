"""Booking pages: they render, they book, bad input saves nothing, others get 404."""

import datetime as dt

import pytest
from django.urls import reverse

from prep.booking import services
from prep.booking.models import Block, Booking, NoShow, Window
from tests.booking.factories import SlotFactory, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(alice, verified_bob, slot):
    return services.booking_create(guest=verified_bob, slot=slot)


@pytest.mark.parametrize("name", ["home", "availability", "slots", "match", "settings"])
def test_pages_render(alice_client, name):
    response = alice_client.get(reverse(f"booking:{name}"))
    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_publish_a_weekly_window(alice_client, alice):
    response = alice_client.post(
        reverse("booking:availability"),
        {"kind": "ml_system_design", "repeat": "weekly", "weekday": "1", "start_time": "18:00",
         "end_time": "21:00", "minutes": "60", "offers_swap": "on", "listed": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    window = Window.objects.get(user=alice)
    assert window.timezone == alice.profile.timezone and window.weekday == 1
    assert alice.booking_slots.count() >= 12  # 4 Tuesdays x 3 slots, minus any past today


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"repeat": "weekly", "start_time": "18:00", "end_time": "21:00"}, "Choose the weekday"),
        ({"repeat": "once", "start_time": "18:00", "end_time": "21:00"}, "Choose the date"),
        ({"repeat": "weekly", "weekday": "1", "start_time": "21:00", "end_time": "18:00"},
         "must end after it starts"),
        ({"repeat": "weekly", "weekday": "9", "start_time": "18:00", "end_time": "21:00"},
         "Select a valid choice"),
        ({"repeat": "weekly", "weekday": "1", "start_time": "25:99", "end_time": "21:00"},
         "Enter a valid time"),
        ({"repeat": "once", "date": "2001-01-01", "start_time": "18:00", "end_time": "21:00"},
         "That date has passed"),
        ({"repeat": "weekly", "weekday": "1", "start_time": "18:00", "end_time": "18:30"},
         "shorter than one 60-minute mock"),
        ({"repeat": "<script>", "weekday": "x' OR 1=1", "start_time": "\x00", "end_time": ""},
         "Select a valid choice"),
    ],
)  # fmt: skip
def test_bad_windows_re_render_with_a_message_and_save_nothing(alice_client, data, message):
    payload = {"kind": "ml_system_design", "minutes": "60", **data}
    response = alice_client.post(reverse("booking:availability"), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Window.objects.exists()


def test_delete_a_window(alice_client, alice):
    window = services.window_create(
        user=alice, kind="coding", weekday=2, start_time=dt.time(9), end_time=dt.time(10)
    )
    response = alice_client.post(reverse("booking:window_delete", args=[window.pk]))
    assert response.status_code == 302 and not Window.objects.exists()


def test_book_through_the_page(client, verified_bob, slot):
    client.force_login(verified_bob)
    url = reverse("booking:slot_book", args=[slot.pk])
    page = client.get(url)
    assert page.status_code == 200
    key = page.context["form"]["idempotency_key"].value()
    response = client.post(url, {"idempotency_key": key, "want_swap": "on"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "booking:detail", args=[booking.pk]
    )
    # A double submit of the same form books once and lands on the same booking.
    again = client.post(url, {"idempotency_key": key, "want_swap": "on"})
    assert again.status_code == 302 and again.url == response.url
    assert Booking.objects.count() == 1


def test_booking_needs_a_verified_email(client, bob, slot):
    client.force_login(bob)
    url = reverse("booking:slot_book", args=[slot.pk])
    response = client.post(url, {"idempotency_key": "abc"})
    assert response.status_code == 409
    assert "Verify your email address" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_taken_slot_says_so(client, verified_bob, charlie, booking):
    client.force_login(verify(charlie))
    response = client.post(
        reverse("booking:slot_book", args=[booking.slot_id]), {"idempotency_key": "z"}
    )
    assert response.status_code == 409 and "Just taken" in response.content.decode()


def test_unlisted_slots_are_404_without_the_link(client, alice, verified_bob):
    slot = SlotFactory(host=alice, listed=False)
    client.force_login(verified_bob)
    assert client.get(reverse("booking:slot_book", args=[slot.pk])).status_code == 404
    token = services.settings_for(alice).invite_token
    page = client.get(reverse("booking:peer", args=[token]))
    assert page.status_code == 200 and f"slot-{slot.pk}" in page.content.decode()
    url = reverse("booking:slot_book", args=[slot.pk]) + f"?via={token}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"idempotency_key": "v", "via": token})
    assert response.status_code == 302 and Booking.objects.count() == 1
    assert client.get(reverse("booking:peer", args=["nope"])).status_code == 404


def test_slots_filter_and_htmx_partial(client, bob, alice, charlie):
    SlotFactory(host=alice, kind="coding")
    design = SlotFactory(host=charlie, kind="ml_system_design")
    client.force_login(bob)
    response = client.get(reverse("booking:slots"), {"kind": "ml_system_design", "role": "applied"},
                          HTTP_HX_REQUEST="true")  # fmt: skip
    html = response.content.decode()
    assert "<html" not in html and f"slot-{design.pk}" in html and "Coding" not in html
    response = client.get(reverse("booking:slots"), {"kind": "bogus"})
    assert response.status_code == 200  # an unknown filter is ignored, not an error


def test_match_me_proposes_a_slot_inside_my_availability(client, bob, alice):
    services.window_create(user=bob, kind="coding", weekday=0, start_time=dt.time(0),
                           end_time=dt.time(23), timezone_name="UTC")  # fmt: skip
    services.window_create(user=alice, kind="ml_system_design", weekday=0,
                           start_time=dt.time(10), end_time=dt.time(11), timezone_name="UTC")  # fmt: skip
    services.window_create(user=alice, kind="ml_system_design", weekday=2,
                           start_time=dt.time(10), end_time=dt.time(11), timezone_name="UTC")  # fmt: skip
    client.force_login(bob)
    response = client.get(reverse("booking:match"), {"kind": "ml_system_design"})
    proposals = response.context["proposals"]
    assert proposals and all(s.starts_at.weekday() == 0 for s in proposals)


def test_detail_shows_notes_to_the_interviewer_only_until_the_end(
    client, alice, verified_bob, booking
):
    client.force_login(alice)
    html = client.get(reverse("booking:detail", args=[booking.pk])).content.decode()
    assert 'data-testid="interviewer-notes"' in html
    client.force_login(verified_bob)
    html = client.get(reverse("booking:detail", args=[booking.pk])).content.decode()
    assert 'data-testid="interviewer-notes"' not in html
    assert "hidden from the candidate" in html


def test_cancel_through_the_page(client, alice, booking):
    client.force_login(alice)
    url = reverse("booking:cancel", args=[booking.pk])
    client.post(url, {"reason": ""})
    booking.refresh_from_db()
    assert booking.status == "booked"
    client.post(url, {"reason": "Something came up"})
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancel_reason == "Something came up"


def test_reschedule_through_the_page(client, alice, verified_bob, booking):
    new = SlotFactory(host=alice, starts_at=booking.starts_at + dt.timedelta(days=1))
    client.force_login(verified_bob)
    url = reverse("booking:reschedule", args=[booking.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"slot": "999999"}).status_code == 400
    assert client.post(url, {"slot": str(new.pk)}).status_code == 302
    booking.refresh_from_db()
    assert booking.slot == new and booking.sequence == 1


def test_feedback_form_rejects_bad_scores_and_saves_nothing(client, alice, booking):
    from prep.mocks.models import RubricFeedback

    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - dt.timedelta(days=10),
        ends_at=booking.ends_at - dt.timedelta(days=10),
    )
    client.force_login(alice)
    url = reverse("booking:feedback", args=[booking.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"score_framing": "7", "notes": "x"})
    assert response.status_code == 400 and not RubricFeedback.objects.exists()
    data = {f"score_{d}": "3" for d in ("framing", "metrics", "data", "model", "serving",
                                        "monitoring", "iteration")}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert RubricFeedback.objects.get().context_key == f"booking:{booking.pk}"


def test_no_show_and_block(client, alice, verified_bob, booking):
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - dt.timedelta(days=10),
        ends_at=booking.ends_at - dt.timedelta(days=10),
    )
    client.force_login(alice)
    client.post(reverse("booking:no_show", args=[booking.pk]))
    assert NoShow.objects.get().absent == verified_bob
    client.post(reverse("booking:block", args=[booking.pk]))
    block = Block.objects.get(blocker=alice, blocked=verified_bob)
    client.post(reverse("booking:unblock", args=[block.pk]))
    assert not Block.objects.exists()


def test_settings_save_and_reject_a_bad_link(alice_client, alice):
    url = reverse("booking:settings")
    response = alice_client.post(url, {"meeting_url": "javascript:alert(1)", "invite_emails": "on"})
    assert response.status_code == 400
    assert (
        alice_client.post(url, {"meeting_url": "https://meet.example.com/alice"}).status_code == 302
    )
    prefs = services.settings_for(alice)
    assert prefs.meeting_url == "https://meet.example.com/alice" and not prefs.reminder_emails
    old = prefs.invite_token
    alice_client.post(reverse("booking:link_regenerate"))
    prefs.refresh_from_db()
    assert prefs.invite_token != old


# --------------------------------------------------------------------------- isolation

OBJECT_URLS = [
    ("get", "booking:detail"),
    ("get", "booking:invite_ics"),
    ("post", "booking:cancel"),
    ("get", "booking:reschedule"),
    ("post", "booking:reschedule"),
    ("get", "booking:feedback"),
    ("post", "booking:feedback"),
    ("post", "booking:no_show"),
    ("post", "booking:block"),
]


@pytest.mark.parametrize(("method", "name"), OBJECT_URLS)
def test_only_the_two_people_see_a_booking(client, charlie, booking, method, name):
    client.force_login(charlie)
    response = getattr(client, method)(reverse(name, args=[booking.pk]), {"reason": "x"})
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == "booked" and not NoShow.objects.exists() and not Block.objects.exists()


def test_both_people_see_the_booking(client, alice, verified_bob, booking):
    for user in (alice, verified_bob):
        client.force_login(user)
        assert client.get(reverse("booking:detail", args=[booking.pk])).status_code == 200


def test_others_windows_and_blocks_are_404(client, charlie, alice, verified_bob):
    window = services.window_create(user=alice, kind="coding", weekday=2,
                                    start_time=dt.time(9), end_time=dt.time(10))  # fmt: skip
    block = services.block_create(blocker=alice, blocked=verified_bob)
    client.force_login(charlie)
    assert client.post(reverse("booking:window_delete", args=[window.pk])).status_code == 404
    assert client.post(reverse("booking:unblock", args=[block.pk])).status_code == 404
    assert Window.objects.exists() and Block.objects.exists()


def test_anonymous_users_are_sent_to_login(client, booking):
    response = client.get(reverse("booking:detail", args=[booking.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
