"""Capture pages: start a capture, watch it live, end it, consent to recording a booking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from prep.booking.selectors import active_booking_for

from . import selectors, services
from .forms import StartForm
from .models import CaptureConsent

RECENT_SESSIONS = 20


def _api_base(request) -> str:
    return request.build_absolute_uri("/api/v1/")


@login_required
def index(request):
    initial = {}
    for name in ("solo_mock", "booking"):
        value = request.GET.get(name, "")
        if value.isdigit():
            initial[name] = int(value)
    if request.GET.get("title"):
        initial["title"] = request.GET["title"][:200]
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    return _index_page(request, StartForm(initial=initial))


def _index_page(request, form, status=200):
    sessions = list(selectors.sessions_for_user(request.user)[:RECENT_SESSIONS])
    linked = {}
    for name in ("booking", "solo_mock"):
        value = form.data.get(name) if form.is_bound else form.initial.get(name)
        linked[name] = int(value) if str(value or "").isdigit() else None
    return render(
        request,
        "capture/index.html",
        {
            "form": form,
            "sessions": sessions,
            "api_base": _api_base(request),
            "linked_booking": linked["booking"],
            "linked_solo_mock": linked["solo_mock"],
        },
        status=status,
    )


@login_required
@require_POST
def start(request):
    form = StartForm(request.POST)
    if not form.is_valid():
        return _index_page(request, form, status=422)
    data = form.cleaned_data
    try:
        session, _ = services.capture_session_create(
            user=request.user,
            title=data["title"],
            kind=data["kind"],
            question=data["question"],
            booking_id=data["booking"],
            solo_mock_id=data["solo_mock"],
        )
    except services.CaptureError as exc:
        form.add_error(None, exc.detail)
        return _index_page(request, form, status=422)
    messages.success(request, "Capture started: point the overlay at this session.")
    return redirect("capture:live", pk=session.pk)


@login_required
def live(request, pk):
    session = selectors.session_with_cursor(user=request.user, pk=pk)
    after = request.GET.get("after", "-1")
    after = int(after) if after.lstrip("-").isdigit() and len(after) < 15 else -1
    after = max(after, -1)
    finals, tail = selectors.live_segments(session=session, after=after)
    cursor = finals[-1].seq if finals else after
    context = {
        "session": session,
        "transcript": session.transcript,
        "context": selectors.session_context(session),
        "finals": finals,
        "tail": tail,
        "cursor": cursor,
        "api_base": _api_base(request),
        "last_event_id": session.last_event_id,
        "now_ms": int(timezone.now().timestamp() * 1000),
        "phase_started_epoch_ms": (
            int(session.transcript.phase_started_at.timestamp() * 1000)
            if session.transcript.phase_started_at
            else None
        ),
    }
    template = "capture/live.html"
    if request.htmx:
        template += "#poll"
    return render(request, template, context)


def protocol(request):
    """The overlay protocol for third-party overlay authors (public, like the API docs)."""
    return render(request, "capture/protocol.html", {"api_base": _api_base(request)})


@login_required
@require_POST
def end(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    if services.capture_session_end(session=session):
        messages.success(request, "Capture ended. The transcript is being processed.")
    return redirect("capture:live", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def consent(request, booking_id):
    booking = active_booking_for(user=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404("No such booking.")
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            services.capture_consent_withdraw(user=request.user, booking=booking)
            messages.success(request, "Consent withdrawn: this booking will not be recorded.")
        else:
            services.capture_consent_give(user=request.user, booking=booking)
            messages.success(request, "Consent given.")
        return redirect("capture:consent", booking_id=booking.id)
    given = set(
        CaptureConsent.objects.filter(
            booking=booking, user_id__in=booking.participant_ids
        ).values_list("user_id", flat=True)
    )
    missing = services.consent_missing(booking=booking)
    return render(
        request,
        "capture/consent.html",
        {
            "booking": booking,
            "mine": request.user.pk in given,
            "other_given": any(
                uid in given for uid in booking.participant_ids if uid != request.user.pk
            ),
            "ready": not missing,
            "start_url": reverse("capture:index") + f"?booking={booking.id}",
        },
    )
