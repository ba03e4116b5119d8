from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .load import review_load_sync


@shared_task(acks_late=True)
def dashboard_refresh(user_id: int) -> bool:
    """After progress changed: today's readiness figures and the reserved review load."""
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
