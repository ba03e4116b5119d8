"""The memory page: optimise, compare, adopt or go back, nightly consent, reschedule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .models import Kind, Optimisation


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise Http404("No such kind of review.")
    return kind


@login_required
def index(request):
    return render(request, "memory/index.html", {"panels": selectors.panels(request.user)})


@login_required
@require_POST
def optimise(request, kind):
    try:
        services.optimisation_start(user=request.user, kind=_kind(kind))
    except services.ParametersError as exc:
        messages.error(request, str(exc))
    return redirect(f"/memory/#{kind}")


@login_required
def run_status(request, pk):
    """The run's progress (htmx polls this while the run is queued or running)."""
    run = get_object_or_404(Optimisation, pk=pk, user=request.user)
    panel = selectors.panel(request.user, run.kind)
    return render(request, "memory/index.html#run", {"p": panel, "run": run})


@login_required
@require_POST
def adopt(request, pk):
    run = get_object_or_404(Optimisation, pk=pk, user=request.user)
    try:
        version = services.parameters_adopt(user=request.user, run=run)
    except services.ParametersError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Adopted version {version.number}. Reschedule below to move existing "
            f"{selectors.source_for(run.kind).noun}s to it now.",
        )
    return redirect(f"/memory/#{run.kind}")


@login_required
@require_POST
def restore(request, kind, number):
    try:
        version = services.parameters_restore(user=request.user, kind=_kind(kind), number=number)
    except services.ParametersError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{version.note}: now version {version.number}.")
    return redirect(f"/memory/#{kind}")


@login_required
@require_POST
def nightly(request, kind):
    on = request.POST.get("nightly") == "on"
    services.nightly_set(user=request.user, kind=_kind(kind), nightly=on)
    messages.success(
        request,
        "Nightly re-optimisation is on." if on else "Nightly re-optimisation is off.",
    )
    return redirect(f"/memory/#{kind}")


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request, kind):
    """GET: how many items would move earlier or later (htmx partial); POST: do it."""
    kind = _kind(kind)
    apply = request.method == "POST"
    moves = services.reschedule(
        user=request.user, kind=kind, apply=apply, tz=timezone.get_current_timezone()
    )
    if apply:
        messages.success(
            request,
            f"Rescheduled: {moves.earlier} earlier, {moves.later} later, {moves.same} unchanged.",
        )
        return redirect(f"/memory/#{kind}")
    return render(
        request,
        "memory/index.html#preview",
        {"moves": moves, "kind": kind, "noun": selectors.source_for(kind).noun},
    )
