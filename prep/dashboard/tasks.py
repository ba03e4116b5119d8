from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from . import services
from .load import review_load_sync

# A burst of changes (twenty cards reviewed in a row, a drill logged after them) refreshes
# the user's figures once, this many seconds after the first: each refresh recomputes the
# whole readiness, and the page shows today's live figure anyway, so only the stored point
# of the chart (and, on the day's first change, the reserved review load) waits this long.
REFRESH_DELAY_SECONDS = 30


def _pending_key(user_id: int) -> str:
    return f"dashboard:refresh-pending:{user_id}"


def dashboard_refresh_soon(user_id: int) -> bool:
    """Queue one ``dashboard_refresh`` for the user unless one is already waiting; True when
    this call queued it. Without a broker (tasks run in-process) it runs now, every time."""
    if dashboard_refresh.app.conf.task_always_eager:
        dashboard_refresh.delay(user_id)
        return True
    # The mark outlives the delay by a margin, so a lost task (a worker gone) holds the next
    # refresh back by at most that long.
    if not cache.add(_pending_key(user_id), 1, timeout=REFRESH_DELAY_SECONDS * 4):
        return False
    dashboard_refresh.apply_async((user_id,), countdown=REFRESH_DELAY_SECONDS)
    return True


@shared_task(acks_late=True)
def dashboard_refresh(user_id: int) -> bool:
    """After progress changed: today's readiness figures and the reserved review load."""
    # Cleared first: a change made while this runs queues the next refresh, which sees it.
    cache.delete(_pending_key(user_id))
    return services.dashboard_refresh(user_id=user_id)


@shared_task(acks_late=True)
def review_load_all() -> int:
    """Nightly: refresh every onboarded user's forecast review load (idempotent)."""
    count = 0
    now = timezone.now()
    users = (
        get_user_model()
        .objects.filter(profile__onboarded_at__isnull=False)
        .select_related("profile")
    )
    for user in users.iterator():
        if review_load_sync(user, tz=user.profile.tzinfo, now=now, force=True):
            count += 1
    return count
