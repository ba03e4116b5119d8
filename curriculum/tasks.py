from celery import shared_task

from . import plans


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def replan_missed() -> int:
    """Nightly: roll missed items forward in every plan that has them (idempotent)."""
    return plans.replan_missed_all()
