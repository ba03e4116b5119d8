"""Settings for the load test's gunicorn (``python -m tooling.loadtest``): the site's, with
the rate limits raised (the load test says so in its output) and quiet logs."""

from prep.settings import *  # noqa: F403

PREP_CAPTURE_RATE_PER_MINUTE = 10**9
ACCOUNT_RATE_LIMITS = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
