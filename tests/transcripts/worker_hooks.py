"""Loaded into a test's worker process (``celery worker --include``): the first post-processing
run after ``PREP_TEST_HOLD_FILE`` appears is held, so the test can kill the worker mid-run.

The worker also joins the test's pinned clock: the test process runs at the pinned instant
(tests/conftest.py), so a transcript it ends is stamped then; a worker on the real clock would
see that stamp in its future and never find the transcript stuck. ``PREP_TEST_CLOCK_OFFSET``
is the test's clock minus the real clock, in seconds."""

import datetime as dt
import os
import time

import time_machine
from celery.signals import task_prerun

_offset = os.environ.get("PREP_TEST_CLOCK_OFFSET")
if _offset:
    _now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=float(_offset))
    time_machine.travel(_now, tick=True).start()


@task_prerun.connect
def _hold_first_postprocess(sender=None, **kwargs):
    hold = os.environ.get("PREP_TEST_HOLD_FILE")
    if not hold or not sender or not sender.name.endswith("transcript_postprocess"):
        return
    if os.path.exists(hold):
        os.remove(hold)
        open(hold + ".started", "w").close()
        time.sleep(3600)  # killed long before this ends
