"""Booking rules: who may book, double-booking, idempotency, cancel, reschedule, plans."""

import datetime as dt

import pytest
from django.utils import timezone

from curriculum.models import FixedEvent
from prep.booking import services
from prep.booking.models import Block, Booking, NoShow, Participant, Slot
from tests.booking.factories import SlotFactory, in_days, verify

pytestmark = pytest.mark.django_db


def book(guest, slot, **kw):
    return services.booking_create(guest=guest, slot=slot, **kw)


def test_booking_holds_both_people_and_fixes_the_event_in_both_plans(
    django_capture_on_commit_callbacks, alice, verified_bob, slot, outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(verified_bob, slot, want_swap=True)
    assert booking.host == alice and booking.guest == verified_bob
    assert booking.swap and booking.prompt.kind == "ml_system_design"
    assert booking.swap_prompt and booking.swap_prompt != booking.prompt
    holds = Participant.objects.filter(booking=booking, active=True)
    assert {(h.user_id, h.role) for h in holds} == {(alice.pk, "host"), (verified_bob.pk, "guest")}
    events = FixedEvent.objects.filter(key=f"booking:{booking.pk}")
    assert {e.user_id for e in events} == {alice.pk, verified_bob.pk}
    assert {e.kind for e in events} == {"peer_mock:ml_system_design"}
    assert all(e.starts_at == slot.starts_at and e.ends_at == slot.ends_at for e in events)
    # Both get an invite once the transaction commits.
    assert sorted(m.to[0] for m in outbox) == ["alice@example.com", "bob@example.com"]
    assert all("invite.ics" == m.attachments[0][0] for m in outbox)


def test_other_kinds_use_their_own_fixed_event_kind(alice, verified_bob):
    slot = SlotFactory(host=alice, kind="behavioral")
    booking = book(verified_bob, slot)
    assert FixedEvent.objects.get(user=alice, key=booking.key).kind == "peer_mock:behavioral"


def test_no_email_leaves_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, verified_bob, slot, outbox
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            book(verified_bob, slot)
            raise RuntimeError
    assert outbox == [] and not Booking.objects.exists()


def test_a_verified_email_is_required(bob, slot):
    with pytest.raises(services.BookingError, match="Verify your email"):
        book(bob, slot)
    assert not Booking.objects.exists()


def test_nobody_books_their_own_slot(verified_alice, slot):
    with pytest.raises(services.BookingError, match="your own"):
        book(verified_alice, slot)


def test_a_slot_is_booked_once(verified_bob, charlie, slot):
    book(verified_bob, slot)
    with pytest.raises(services.SlotTaken, match="Just taken"):
        book(verify(charlie), slot)
    assert Booking.objects.count() == 1


def test_the_database_refuses_a_second_active_booking_of_a_slot(verified_bob, charlie, slot):
    from django.db import IntegrityError, transaction

    first = book(verified_bob, slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, host=slot.host, guest=charlie, kind=slot.kind,
                               prompt=first.prompt, starts_at=slot.starts_at,
                               ends_at=slot.ends_at)  # fmt: skip


def test_nobody_holds_two_overlapping_bookings_as_host_or_guest(alice, verified_bob, charlie):
    verify(charlie)
    start = in_days(4)
    book(verified_bob, SlotFactory(host=alice, starts_at=start))
    # Bob as guest again, half an hour later, with charlie: clashes with his own booking.
    later = SlotFactory(host=charlie, starts_at=start + dt.timedelta(minutes=30))
    with pytest.raises(services.SlotTaken, match="You already have a booking"):
        book(verified_bob, later)
    # Charlie books a slot of alice's overlapping alice's booking (alice is busy as host).
    overlapping = SlotFactory(host=alice, kind="coding", starts_at=start + dt.timedelta(minutes=15))
    with pytest.raises(services.SlotTaken, match="host is booked"):
        book(charlie, overlapping)
    # Bob hosting while he is a guest: charlie cannot book his overlapping slot.
    bobs = SlotFactory(host=verified_bob, starts_at=start - dt.timedelta(minutes=30))
    with pytest.raises(services.SlotTaken):
        book(charlie, bobs)
    # Back-to-back is fine.
    after = SlotFactory(host=charlie, starts_at=start + dt.timedelta(hours=1))
    assert book(verified_bob, after)


def test_the_same_idempotency_key_books_once(verified_bob, slot, charlie):
    first = book(verified_bob, slot, idempotency_key="k-1")
    again = book(verified_bob, slot, idempotency_key="k-1")
    assert again.pk == first.pk
    # Even when the slot would be refused now.
    assert book(verified_bob, SlotFactory(host=charlie), idempotency_key="k-1").pk == first.pk
    assert Booking.objects.count() == 1


def test_blocked_peers_cannot_book(alice, verified_bob, slot):
    services.block_create(blocker=alice, blocked=verified_bob)
    with pytest.raises(services.BookingError, match="cannot book this peer"):
        book(verified_bob, slot)


def test_unlisted_slots_need_the_private_link(verified_bob, alice):
    slot = SlotFactory(host=alice, listed=False)
    with pytest.raises(services.BookingError, match="private link"):
        book(verified_bob, slot)
    assert book(verified_bob, slot, via_link=True)


def test_slots_starting_too_soon_cannot_be_booked(verified_bob, alice):
    slot = SlotFactory(host=alice, starts_at=timezone.now() + dt.timedelta(minutes=10))
    with pytest.raises(services.BookingError, match="too soon"):
        book(verified_bob, slot)


def test_repeated_no_shows_limit_to_one_upcoming_booking(alice, verified_bob, charlie):
    past = Booking.objects.create(
        slot=None, host=alice, guest=verified_bob, kind="coding",
        prompt=book(verified_bob, SlotFactory(host=alice, kind="coding")).prompt,
        starts_at=in_days(-5), ends_at=in_days(-5) + dt.timedelta(hours=1),
    )  # fmt: skip
    for reporter in (alice, charlie):
        NoShow.objects.create(booking=past, reporter=reporter, absent=verified_bob)
    with pytest.raises(services.BookingError, match="one upcoming booking"):
        book(verified_bob, SlotFactory(host=charlie, starts_at=in_days(6)))


def test_cancel_needs_a_reason_and_frees_the_slot(
    django_capture_on_commit_callbacks, alice, verified_bob, charlie, slot, outbox
):
    booking = book(verified_bob, slot)
    with pytest.raises(services.BookingError, match="Say why"):
        services.booking_cancel(booking=booking, by=alice, reason="  ")
    with pytest.raises(services.BookingError, match="not your booking"):
        services.booking_cancel(booking=booking, by=charlie, reason="x")
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.booking_cancel(booking=booking, by=alice, reason="Flu")
    assert cancelled.status == "cancelled" and cancelled.sequence == 1
    assert not Participant.objects.filter(booking=booking, active=True).exists()
    assert not FixedEvent.objects.filter(key=booking.key).exists()
    assert len(outbox) == 2 and "Cancelled" in outbox[0].subject
    # The slot opens again.
    assert book(verify(charlie), slot).slot == slot


def test_cancel_closes_at_the_cut_off(alice, verified_bob, slot):
    booking = book(verified_bob, slot)
    late = slot.starts_at - services.CANCEL_CUTOFF + dt.timedelta(minutes=1)
    with pytest.raises(services.BookingError, match="Changes to this booking are closed"):
        services.booking_cancel(booking=booking, by=verified_bob, reason="late", now=late)


def test_reschedule_moves_both_holds_and_raises_the_sequence(alice, verified_bob, slot, charlie):
    booking = book(verified_bob, slot)
    new = SlotFactory(host=alice, starts_at=slot.starts_at + dt.timedelta(days=1))
    moved = services.booking_reschedule(booking=booking, by=verified_bob, slot=new)
    assert moved.slot == new and moved.starts_at == new.starts_at and moved.sequence == 1
    assert set(Participant.objects.filter(booking=booking).values_list("starts_at", flat=True)) == {
        new.starts_at
    }
    assert FixedEvent.objects.get(user=alice, key=booking.key).starts_at == new.starts_at
    # The old slot is free again.
    assert book(verify(charlie), slot)
    # Not onto another host's slot.
    with pytest.raises(services.BookingError, match="same host"):
        services.booking_reschedule(booking=moved, by=alice, slot=SlotFactory(host=charlie))


def test_feedback_reveal_and_progress(alice, verified_bob, slot):
    booking = book(verified_bob, slot, want_swap=False)
    scores = {d: 3 for d in ("framing", "metrics", "data", "model", "serving", "monitoring",
                             "iteration")}  # fmt: skip
    with pytest.raises(services.BookingError, match="opens half-way"):
        services.booking_feedback_submit(booking=booking, author=alice, scores=scores,
                                         now=slot.starts_at)  # fmt: skip
    after = slot.ends_at + dt.timedelta(minutes=5)
    services.booking_feedback_submit(booking=booking, author=alice, scores=scores, now=after)
    from curriculum.models import ProgressEvent
    from prep.mocks.models import RubricFeedback

    event = ProgressEvent.objects.get(
        user=verified_bob, key=f"booking:{booking.pk}:{verified_bob.pk}"
    )
    assert event.kind == "mock_completed" and set(event.tags) == {"ml_system_design", "peer"}
    assert RubricFeedback.objects.filter(context_key=booking.key).exists()
    state = services.feedback_state(booking, verified_bob, now=after)
    assert state["theirs"] is None and state["theirs_waiting"]
    # 48 hours after the end, bob sees alice's feedback without giving his.
    late = slot.ends_at + services.FEEDBACK_REVEAL_AFTER
    assert services.feedback_state(booking, verified_bob, now=late)["theirs"]
    # Once bob gives his, both see both; alice was not a candidate (no swap): no report.
    services.booking_feedback_submit(booking=booking, author=verified_bob, scores=scores, now=after)
    assert services.feedback_state(booking, alice, now=after)["theirs"]
    assert not ProgressEvent.objects.filter(user=alice).exists()


def test_with_swapped_halves_both_are_reported(alice, verified_bob, slot):
    from curriculum.models import ProgressEvent

    booking = book(verified_bob, slot, want_swap=True)
    scores = {d: 4 for d in ("framing", "metrics", "data", "model", "serving", "monitoring",
                             "iteration")}  # fmt: skip
    after = slot.ends_at
    for author in (alice, verified_bob):
        services.booking_feedback_submit(booking=booking, author=author, scores=scores, now=after)
    assert (
        ProgressEvent.objects.filter(kind="mock_completed", user__in=[alice, verified_bob]).count()
        == 2
    )


def test_bad_feedback_saves_nothing(alice, verified_bob, slot):
    from prep.mocks.models import RubricFeedback
    from prep.mocks.services import FeedbackError

    booking = book(verified_bob, slot)
    with pytest.raises(FeedbackError):
        services.booking_feedback_submit(booking=booking, author=alice, scores={"framing": 9},
                                         now=slot.ends_at)  # fmt: skip
    assert not RubricFeedback.objects.exists()


def test_no_show_after_the_start_only(alice, verified_bob, slot):
    booking = book(verified_bob, slot)
    with pytest.raises(services.BookingError, match="once the session has started"):
        services.no_show_report(
            booking=booking, reporter=alice, now=slot.starts_at - dt.timedelta(minutes=1)
        )
    report = services.no_show_report(booking=booking, reporter=alice, now=slot.starts_at)
    assert report.absent == verified_bob
    assert services.no_show_report(booking=booking, reporter=alice, now=slot.ends_at) == report


def test_block_hides_slots_both_ways(alice, bob, slot):
    from prep.booking import selectors

    assert list(selectors.open_slots(user=bob)) == [slot]
    services.block_create(blocker=alice, blocked=bob)
    assert list(selectors.open_slots(user=bob)) == []
    assert Block.objects.count() == 1


def test_prompt_choice_avoids_prompts_met_before(alice, verified_bob):
    first = book(verified_bob, SlotFactory(host=alice, starts_at=in_days(3)))
    second = book(verified_bob, SlotFactory(host=alice, starts_at=in_days(4)))
    assert first.prompt != second.prompt
    assert Slot.objects.count() == 2
