"""Celery tasks of the memory app: an optimisation run, and the nightly re-optimisation."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def optimise(run_id: int) -> str:
    """Carry out optimisation run ``run_id`` (idempotent: a claimed run is left alone)."""
    from . import services

    run = services.optimisation_run(run_id=run_id)
    return run.status if run is not None else "skipped"


@shared_task
def nightly_optimise() -> int:
    """Queue a run for each user who consented to nightly re-optimisation."""
    from . import services

    return services.nightly_optimise_all()
