"""Thin views: load scoped to the user, call a service, render.

Every booking URL loads through ``selectors.booking_detail(request.user, pk)``, which only
finds bookings where the user is host or guest: anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prep.mocks.models import SCORE_LABELS, MockKind, Rubric
from prep.mocks.services import FeedbackError

from . import invites, rendering, selectors, services
from .forms import (
    BookForm,
    CancelForm,
    PeerFeedbackForm,
    RescheduleForm,
    SettingsForm,
    SlotFilterForm,
    WindowForm,
)
from .models import Block, BookingSettings, Slot, Window

SLOT_PAGE = 40


def _base(request, **context) -> dict:
    return {"tzname": timezone.get_current_timezone_name(), "nav_section": "booking", **context}


@login_required
@require_GET
def home(request):
    services.slots_refresh_if_stale(user=request.user)
    context = _base(
        request,
        upcoming=selectors.upcoming_for(request.user, limit=20),
        past=selectors.past_for(request.user),
        verified=services.email_verified(request.user),
    )
    return render(request, "booking/home.html", context)


# --------------------------------------------------------------------------- availability


@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    form = WindowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.window_create(
                user=request.user,
                kind=data["kind"],
                weekday=data["weekday"],
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                minutes=data["minutes"],
                offers_swap=data["offers_swap"],
                listed=data["listed"],
            )
        except services.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Availability published; your slots are open.")
            return redirect("booking:availability")
    else:
        services.slots_refresh_if_stale(user=request.user)
    prefs = services.settings_for(request.user)
    context = _base(
        request,
        form=form,
        windows=selectors.windows_for(request.user),
        slots=selectors.my_open_slots(request.user, limit=10),
        prefs=prefs,
        invite_url=request.build_absolute_uri(
            redirect("booking:peer", token=prefs.invite_token).url
        ),
    )
    status = 400 if form.errors else 200
    return render(request, "booking/availability.html", context, status=status)


@login_required
@require_POST
def window_delete(request, pk):
    window = get_object_or_404(Window.objects.filter(user=request.user), pk=pk)
    services.window_delete(window=window)
    messages.success(request, "Window removed; its open slots are gone (booked ones stay).")
    return redirect("booking:availability")


# --------------------------------------------------------------------------- finding a peer


@login_required
@require_GET
def slots(request):
    form = SlotFilterForm(request.GET or None)
    kind = role = ""
    if form.is_valid():
        kind, role = form.cleaned_data["kind"], form.cleaned_data["role"]
    rows = list(
        selectors.open_slots(user=request.user, kind=kind or None, role=role or None).only(
            *rendering.ROW_FIELDS
        )[:SLOT_PAGE]
    )
    context = _base(
        request,
        form=form,
        slots=rendering.slot_rows(rows),
        kind=kind,
        role=role,
    )
    template = "booking/slots.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def match(request):
    kind = request.GET.get("kind") or MockKind.ML_SYSTEM_DESIGN
    if kind not in MockKind.values:
        kind = MockKind.ML_SYSTEM_DESIGN
    proposals = selectors.match_for(user=request.user, kind=kind)
    has_windows = Window.objects.filter(user=request.user).exists()
    context = _base(
        request,
        kind=kind,
        kind_label=MockKind(kind).label,
        kinds=MockKind.choices,
        proposals=rendering.slot_rows(proposals),
        has_windows=has_windows,
    )
    return render(request, "booking/match.html", context)


@login_required
@require_GET
def peer(request, token):
    prefs = get_object_or_404(BookingSettings.objects.select_related("user"), invite_token=token)
    host = prefs.user
    if host == request.user:
        messages.info(request, "This is your own private link; share it with a peer.")
    rows = []
    if host != request.user and not services.is_blocked_between(host, request.user):
        rows = list(
            selectors.open_slots(user=request.user, host=host, include_unlisted=True).only(
                *rendering.ROW_FIELDS
            )[:SLOT_PAGE]
        )
    context = _base(
        request,
        host=host,
        host_name=services.display_name(host),
        slots=rendering.slot_rows(rows, via=token),
        token=token,
    )
    return render(request, "booking/peer.html", context)


def _bookable_slot(request, pk, via: str) -> Slot:
    slot = get_object_or_404(Slot.objects.select_related("host", "host__profile"), pk=pk)
    if not slot.listed:
        prefs = BookingSettings.objects.filter(user=slot.host_id).first()
        if not via or prefs is None or prefs.invite_token != via:
            raise Http404("No such slot")
    return slot


@login_required
@require_http_methods(["GET", "POST"])
def slot_book(request, pk):
    via = (request.POST.get("via") or request.GET.get("via") or "")[:64]
    slot = _bookable_slot(request, pk, via)
    form = BookForm(request.POST or None, initial={"via": via})
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                guest=request.user,
                slot=slot,
                want_swap=form.cleaned_data["want_swap"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                via_link=bool(via),
            )
        except services.SlotHeld as exc:
            messages.info(request, str(exc))
            return redirect("booking:detail", pk=exc.booking_id)
        except services.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Booked. You both get an email with a calendar invite.")
            return redirect("booking:detail", pk=booking.pk)
    context = _base(
        request,
        slot=slot,
        form=form,
        host_name=services.display_name(slot.host),
        verified=services.email_verified(request.user),
    )
    status = 409 if form.errors else 200
    return render(request, "booking/slot_book.html", context, status=status)


# --------------------------------------------------------------------------- one booking


def _feedback_context(request, booking):
    feedback = selectors.booking_feedback(booking, reader=request.user)
    state = services.feedback_state(booking, request.user, feedback=feedback)
    rubric = Rubric.objects.filter(kind=booking.kind).first()
    dims_for = {}
    for label, item in (("mine", state["mine"]), ("theirs", state["theirs"])):
        if item is None or rubric is None:
            continue
        scores = {s.dimension: s for s in item.scores.all()}
        dims_for[label] = [{**d, "score": scores.get(d["slug"])} for d in rubric.dimensions]
    return state, dims_for


@login_required
@require_GET
def detail(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    now = timezone.now()
    role = booking.role_of(request.user)
    over = booking.is_over(now)
    # Interviewer notes: the host interviews on the main prompt, the guest on the swap
    # prompt; everyone sees both once the session is over.
    state, dims = _feedback_context(request, booking)
    no_show_reported = any(n.reporter_id == request.user.pk for n in booking.no_shows.all())
    context = _base(
        request,
        booking=booking,
        role=role,
        other=booking.other(request.user),
        other_name=services.display_name(booking.other(request.user)),
        over=over,
        started=now >= booking.starts_at,
        notes_main=over or role == "host",
        notes_swap=over or role == "guest",
        can_change=booking.is_active and now <= services.change_deadline(booking),
        change_deadline=services.change_deadline(booking),
        change_rule=services.CHANGE_RULE,
        cancel_form=CancelForm(),
        feedback=state,
        dims=dims,
        no_show_reported=no_show_reported,
        blocked=Block.objects.filter(
            blocker=request.user, blocked=booking.other(request.user)
        ).exists(),
    )
    return render(request, "booking/detail.html", context)


@login_required
@require_GET
def invite_ics(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    method = invites.REQUEST if booking.is_active else invites.CANCEL
    response = HttpResponse(
        invites.booking_calendar(booking, method=method, for_user=request.user),
        content_type=f"text/calendar; method={method}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="prep-booking-{booking.pk}.ics"'
    return response


@login_required
@require_POST
def cancel(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.booking_cancel(
                booking=booking, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Booking cancelled; your peer has been told.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("booking:detail", pk=booking.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    tz = timezone.get_current_timezone()
    # Open slots of the same host and kind that the guest could take (their own booking
    # is ignored: it moves).
    candidates = (
        Slot.objects.filter(
            host=booking.host_id,
            kind=booking.kind,
            starts_at__gte=timezone.now() + services.BOOK_NOTICE,
        )
        .exclude(pk=booking.slot_id)
        .exclude(bookings__status="booked")
        .order_by("starts_at")
    )
    form = RescheduleForm(
        request.POST or None,
        slots=candidates,
        label=lambda s: s.starts_at.astimezone(tz).strftime("%a %-d %b %Y, %H:%M"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reschedule(
                booking=booking, by=request.user, slot=form.cleaned_data["slot"]
            )
        except services.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Moved. You both get an updated invite.")
            return redirect("booking:detail", pk=booking.pk)
    context = _base(request, booking=booking, form=form, has_slots=candidates[:1].exists())
    return render(request, "booking/reschedule.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    rubric = get_object_or_404(Rubric, kind=booking.kind)
    existing = next(
        (
            f
            for f in selectors.booking_feedback(booking, reader=request.user)
            if f.author_id == request.user.pk
        ),
        None,
    )
    initial = {}
    if existing is not None:
        initial["notes"] = existing.notes
        for score in existing.scores.all():
            initial[f"score_{score.dimension}"] = str(score.score)
            initial[f"comment_{score.dimension}"] = score.comment
    form = PeerFeedbackForm(request.POST or None, rubric=rubric, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_feedback_submit(
                booking=booking,
                author=request.user,
                scores=form.scores(),
                comments=form.comments(),
                notes=form.cleaned_data["notes"],
            )
        except FeedbackError as exc:
            form.add_service_errors(exc.message_dict)
        except services.BookingError as exc:
            error = str(exc)
        else:
            messages.success(request, "Feedback saved. You see your peer's once both are in.")
            return redirect("booking:detail", pk=booking.pk)
    elif request.method == "GET" and timezone.now() < services.feedback_opens_at(booking):
        error = "Feedback opens half-way through the session."
    context = _base(
        request,
        booking=booking,
        form=form,
        error=error,
        other_name=services.display_name(booking.other(request.user)),
        score_labels=SCORE_LABELS,
    )
    status = 400 if (form.errors or error) and request.method == "POST" else 200
    return render(request, "booking/feedback.html", context, status=status)


@login_required
@require_POST
def no_show(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    try:
        services.no_show_report(booking=booking, reporter=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "No-show recorded. Sorry about that.")
    return redirect("booking:detail", pk=booking.pk)


@login_required
@require_POST
def block(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    other = booking.other(request.user)
    services.block_create(blocker=request.user, blocked=other)
    messages.success(request, f"{services.display_name(other)} can no longer book with you.")
    return redirect("booking:detail", pk=booking.pk)


@login_required
@require_POST
def unblock(request, pk):
    item = get_object_or_404(Block.objects.filter(blocker=request.user), pk=pk)
    services.block_delete(block=item)
    messages.success(request, "Unblocked.")
    return redirect("booking:settings")


# --------------------------------------------------------------------------- settings


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    prefs = services.settings_for(request.user)
    form = SettingsForm(
        request.POST or None,
        initial={
            "meeting_url": prefs.meeting_url,
            "invite_emails": prefs.invite_emails,
            "reminder_emails": prefs.reminder_emails,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Booking settings saved.")
        return redirect("booking:settings")
    context = _base(
        request,
        form=form,
        prefs=prefs,
        blocks=selectors.blocks_for(request.user),
        invite_url=request.build_absolute_uri(
            redirect("booking:peer", token=prefs.invite_token).url
        ),
    )
    return render(request, "booking/settings.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def link_regenerate(request):
    services.invite_link_regenerate(user=request.user)
    messages.success(request, "New private link made; the old one no longer works.")
    return redirect("booking:settings")


@csrf_exempt  # one-click unsubscribe (RFC 8058): the signed token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "GET":
        return render(request, "booking/unsubscribe.html", {"token": token, "done": False})
    try:
        services.reminders_unsubscribe(token=token)
    except services.BookingError as exc:
        return render(
            request, "booking/unsubscribe.html", {"error": str(exc), "done": False}, status=400
        )
    return render(request, "booking/unsubscribe.html", {"done": True})
