"""Settings for the load test's gunicorn (``python -m tooling.loadtest``): the site's, with
every rate limit raised (the load test says so in its output), the floor page mounted
(tooling/loadtest/urls.py), the Server-Timing header on (the load test reads it) and quiet
logs."""

from prep.settings import *  # noqa: F403

# Every "<…>_RATE_PER_MINUTE" limit, whatever app adds one, and allauth's.
for _name in [n for n in globals() if n.endswith("_RATE_PER_MINUTE")]:
    globals()[_name] = 10**9
ACCOUNT_RATE_LIMITS = False
ROOT_URLCONF = "tooling.loadtest.urls"
SERVER_TIMING = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
