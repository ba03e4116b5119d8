from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down" to a health check
        return "down"
    return "ok"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "eager"
    try:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception:  # noqa: BLE001
        return "down"
    return "ok"


def _cache_status() -> str:
    from django.core.cache import caches

    from .cache import ResilientRedisCache

    cache = caches["default"]
    if not isinstance(cache, ResilientRedisCache):
        return "local"
    try:
        cache._cache.get_client(write=True).ping()
    except Exception:  # noqa: BLE001
        return "down"
    return "ok"


def _outbox_waiting() -> int | None:
    from .models import TaskOutbox

    try:
        return TaskOutbox.objects.count()
    except Exception:  # noqa: BLE001 - the database is down: reported above
        return None


@never_cache
@require_GET
def healthz(request):
    """Names each dependency ``ok`` or ``down`` (``eager``/``local`` when not configured).

    503 only when the database is down: the site runs without Redis (sessions and caches
    fall back to the database, tasks wait in the outbox), so a Redis outage is reported,
    not fatal."""
    database = _database_status()
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "unavailable",
            "database": {"vendor": connection.vendor, "status": database},
            "cache": {"status": _cache_status()},
            "broker": {"status": _broker_status(), "outbox": _outbox_waiting()},
        },
        status=status,
    )
