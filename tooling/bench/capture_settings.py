"""Settings for ``python -m tooling.bench.capture``: the site's, with the rate limit raised.

The benchmark drives the API far above one overlay's pace (about one batch a second), so the
per-token rate limit is lifted here and the bench says so in its output.
"""

from prep.settings import *  # noqa: F403

PREP_CAPTURE_RATE_PER_MINUTE = 10**9
ROOT_URLCONF = "tooling.bench.capture_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
