"""The one retry policy of Prep's Celery tasks that reach outside the database.

A task that sends email or talks to another service retries on ``OSError`` (a refused or
reset connection) with exponential backoff capped at four minutes (under the broker's
visibility timeout, so a waiting retry is never delivered twice), five times at most; every
such task is idempotent, so a retry after a partial run does no harm. Use it as
``@shared_task(**RETRY)``.
"""

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 240,
    "max_retries": 5,
}
