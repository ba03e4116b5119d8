"""Writes of the memory app: optimisation runs, adopting and going back, nightly consent,
rescheduling.

Rules decided here:
- An optimisation is queued by a request and run by a Celery task (``tasks.optimise``),
  one at a time per user and kind (a conditional unique constraint); the request only
  inserts the run. The task reports its progress on the run row as it goes.
- A fitted set is adopted only when its log loss on the user's held-out recent reviews is
  strictly lower than that of the set in use (``fit.FitResult.better``); otherwise the run
  says the current set stays, and why. Adopting is the user's click, or — with their
  consent (``MemoryProfile.nightly``) — the nightly task's, under the same rule.
- Every adoption, and every going back, is a new ``ParameterVersion``: the history is never
  rewritten. Version 0 is the FSRS defaults.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import fit, tasks
from .models import Kind, MemoryProfile, Optimisation, ParameterVersion
from .parameters import as_parameters
from .registry import Moves, source_for

log = logging.getLogger(__name__)

# Offer the optimiser again once the history has grown by this fraction since the last run.
GROWTH_TO_OFFER_AGAIN = 0.2


class ParametersError(ValueError):
    """A request the memory app refuses (shown to the user as a message)."""


def profile_for(*, user, kind: str) -> MemoryProfile:
    profile, _ = MemoryProfile.objects.get_or_create(user=user, kind=kind)
    return profile


def offered_again(profile: MemoryProfile, usable: int) -> bool:
    """The optimiser is suggested once there are enough reviews, and again once the
    history has grown by ``GROWTH_TO_OFFER_AGAIN`` since the last run."""
    if usable < fit.MIN_REVIEWS:
        return False
    last = profile.reviews_at_last_run
    return last == 0 or usable >= last * (1 + GROWTH_TO_OFFER_AGAIN)


# --- Optimisation -------------------------------------------------------------------------------
def optimisation_start(
    *, user, kind: str, nightly: bool = False, now: dt.datetime | None = None
) -> Optimisation:
    """Queue an optimisation of ``user``'s ``kind`` parameters (the task runs after commit)."""
    if kind not in Kind.values:
        raise ParametersError("Unknown kind of review.")
    usable = source_for(kind).usable_reviews(user)
    if usable < fit.MIN_REVIEWS:
        raise ParametersError(str(fit.NotEnoughReviews(usable)))
    try:
        with transaction.atomic():
            run = Optimisation.objects.create(
                user=user, kind=kind, nightly=nightly, created_at=now or timezone.now()
            )
            tasks.optimise.delay_on_commit(run.pk)
    except IntegrityError as exc:
        raise ParametersError("An optimisation is already running.") from exc
    return run


def _report(run_id: int, percent: int, stage: str) -> None:
    Optimisation.objects.filter(pk=run_id).update(progress=percent, stage=stage[:200])


def optimisation_run(*, run_id: int, tz=dt.UTC) -> Optimisation | None:
    """Carry out a queued run. Idempotent: a run another worker claimed (or finished) is
    left alone. Progress is written on the run row as each stage starts."""
    claimed = Optimisation.objects.filter(pk=run_id, status=Optimisation.Status.QUEUED).update(
        status=Optimisation.Status.RUNNING, progress=5, stage="Loading your reviews"
    )
    if claimed != 1:
        return None
    run = Optimisation.objects.select_related("user").get(pk=run_id)
    user, source = run.user, source_for(run.kind)
    profile = profile_for(user=user, kind=run.kind)
    current = as_parameters(profile.parameters)
    try:
        histories = source.histories(user, tz=_user_tz(user, tz))
        _report(run_id, 20, f"Loaded the reviews of {len(histories):,} {source.noun}s")
        result = fit.fit(histories, current=current, progress=lambda p, s: _report(run_id, p, s))
    except fit.NotEnoughReviews as exc:
        return _finish(run, status=Optimisation.Status.FAILED, message=str(exc))
    except Exception as exc:  # the optimiser's own errors: say so, keep the current set
        log.exception("memory: optimisation %s failed", run_id)
        return _finish(
            run, status=Optimisation.Status.FAILED, message=f"The optimiser failed: {exc}"
        )
    run.reviews = fit.usable_reviews(histories)
    run.test_reviews = result.test_reviews
    run.current = list(current)
    run.current_version = profile.version
    run.candidate = list(result.candidate)
    run.logloss_current, run.rmse_current = result.current.log_loss, result.current.rmse_bins
    run.logloss_candidate, run.rmse_candidate = result.fitted.log_loss, result.fitted.rmse_bins
    if result.better:
        message = (
            f"The new parameters predict your latest {result.test_reviews:,} reviews better "
            f"(log loss {result.fitted.log_loss:.4f} < {result.current.log_loss:.4f})."
        )
    else:
        message = (
            f"Your current parameters stay: on your latest {result.test_reviews:,} reviews, "
            f"which the optimiser did not see, the new ones predict no better (log loss "
            f"{result.fitted.log_loss:.4f} against {result.current.log_loss:.4f})."
        )
    run = _finish(run, status=Optimisation.Status.DONE, message=message)
    MemoryProfile.objects.filter(pk=profile.pk).update(reviews_at_last_run=run.reviews)
    if run.nightly and run.better:
        parameters_adopt(user=user, run=run, origin=ParameterVersion.Origin.NIGHTLY)
    return run


def _user_tz(user, default):
    profile = getattr(user, "profile", None)
    return getattr(profile, "tzinfo", None) or default


def _finish(run: Optimisation, *, status: str, message: str) -> Optimisation:
    run.status = status
    run.message = message
    run.progress = 100
    run.stage = "Finished" if status == Optimisation.Status.DONE else "Stopped"
    run.finished_at = timezone.now()
    run.save()
    return run


# --- Adopting and going back ---------------------------------------------------------------------
def _next_number(user, kind: str) -> int:
    last = (
        ParameterVersion.objects.filter(user=user, kind=kind)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def parameters_adopt(
    *, user, run: Optimisation, origin: str = ParameterVersion.Origin.OPTIMISED
) -> ParameterVersion:
    """Adopt a run's fitted parameters: only a finished run that beat the set in use, while
    that set is still the one in use."""
    run = Optimisation.objects.select_for_update().get(pk=run.pk, user=user)
    if not run.better:
        raise ParametersError(
            "These parameters did not predict your reviews better; nothing changed."
        )
    if run.adopted_id is not None:
        raise ParametersError("These parameters are already adopted.")
    profile = MemoryProfile.objects.select_for_update().get(user=user, kind=run.kind)
    if profile.version != run.current_version:
        raise ParametersError("Your parameters changed since this run; optimise again to compare.")
    version = ParameterVersion.objects.create(
        user=user,
        kind=run.kind,
        number=_next_number(user, run.kind),
        parameters=run.candidate,
        origin=origin,
        metrics={
            "logloss_before": run.logloss_current,
            "logloss_after": run.logloss_candidate,
            "rmse_before": run.rmse_current,
            "rmse_after": run.rmse_candidate,
            "test_reviews": run.test_reviews,
            "reviews": run.reviews,
        },
        created_at=timezone.now(),
    )
    profile.parameters = run.candidate
    profile.version = version.number
    profile.save(update_fields=["parameters", "version", "updated_at"])
    run.adopted = version
    run.save(update_fields=["adopted"])
    return version


@transaction.atomic
def parameters_restore(*, user, kind: str, number: int) -> ParameterVersion:
    """Go back to version ``number`` (0: the FSRS defaults), recorded as a new version."""
    if number == 0:
        parameters, note = None, "Back to the FSRS defaults"
    else:
        old = ParameterVersion.objects.filter(user=user, kind=kind, number=number).first()
        if old is None:
            raise ParametersError("No such version.")
        parameters, note = old.parameters, f"Back to version {number}"
    profile = MemoryProfile.objects.select_for_update().get_or_create(user=user, kind=kind)[0]
    version = ParameterVersion.objects.create(
        user=user,
        kind=kind,
        number=_next_number(user, kind),
        parameters=parameters,
        origin=ParameterVersion.Origin.RESTORED,
        note=note,
        created_at=timezone.now(),
    )
    profile.parameters = parameters
    profile.version = version.number
    profile.save(update_fields=["parameters", "version", "updated_at"])
    return version


def nightly_set(*, user, kind: str, nightly: bool) -> MemoryProfile:
    profile = profile_for(user=user, kind=kind)
    profile.nightly = nightly
    profile.save(update_fields=["nightly", "updated_at"])
    return profile


def nightly_optimise_all(*, now: dt.datetime | None = None) -> int:
    """Queue a run for every consenting user whose history grew enough since the last one."""
    started = 0
    for profile in MemoryProfile.objects.filter(nightly=True).select_related("user"):
        source = source_for(profile.kind)
        if not offered_again(profile, source.usable_reviews(profile.user)):
            continue
        try:
            optimisation_start(user=profile.user, kind=profile.kind, nightly=True, now=now)
            started += 1
        except ParametersError:
            continue
    return started


# --- Rescheduling -----------------------------------------------------------------------------------
def reschedule(*, user, kind: str, apply: bool, tz=dt.UTC, now: dt.datetime | None = None) -> Moves:
    """Recompute every scheduled item's memory state and due date from its history with the
    parameters and desired retention in use. ``apply=False`` only counts the moves."""
    source = source_for(kind)
    parameters = as_parameters(
        MemoryProfile.objects.filter(user=user, kind=kind)
        .values_list("parameters", flat=True)
        .first()
    )
    with transaction.atomic():
        return source.reschedule(
            user, parameters=parameters, tz=tz, now=now or timezone.now(), apply=apply
        )
