"""The Celery app. Broker is Redis when REDIS_URL is set; otherwise tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")

# Every task publishes through the outbox: a broker outage keeps tasks in the database.
app = Celery("prep", task_cls="prep.lib.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
