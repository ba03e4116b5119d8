"""Loaded into a test's worker process (``celery worker --include``): the first post-processing
run after ``PREP_TEST_HOLD_FILE`` appears is held, so the test can kill the worker mid-run."""

import os
import time

from celery.signals import task_prerun


@task_prerun.connect
def _hold_first_postprocess(sender=None, **kwargs):
    hold = os.environ.get("PREP_TEST_HOLD_FILE")
    if not hold or not sender or not sender.name.endswith("transcript_postprocess"):
        return
    if os.path.exists(hold):
        os.remove(hold)
        open(hold + ".started", "w").close()
        time.sleep(3600)  # killed long before this ends
