"""A worker killed in the middle of post-processing does not strand the transcript: after a
restart, beat's sweep (its cadence shortened by settings here) queues it again and it is ready
within minutes, not after the broker's visibility timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from prep.transcripts import services
from prep.transcripts.models import Transcript
from tests.transcripts.factories import transcript as make_transcript

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
RECOVERY_BOUND = 300  # seconds: "ready within 5 minutes of a restart"


def _worker(env: dict, tmp: Path, name: str) -> subprocess.Popen:
    log = open(tmp / f"{name}.log", "w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "prep", "worker", "-B", "--pool=solo",
         "-s", str(tmp / "beat-schedule"), "-Q", env["CELERY_QUEUE"],
         "--include", "tests.transcripts.worker_hooks", "-l", "INFO", "-n", f"{name}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def _stop(proc: subprocess.Popen, sig=signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    proc.wait(timeout=30)


def _clock_offset() -> float:
    """This process's (pinned, ticking) clock minus the real one, in seconds."""
    real = time_machine.escape_hatch.time.time()  # the real clock, under the pin
    return timezone.now().timestamp() - real


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_a_killed_worker_does_not_strand_a_transcript(alice, tmp_path, settings):
    from prep.celery import app

    db = connection.settings_dict
    queue = f"prep-crash-{uuid.uuid4().hex[:8]}"
    hold = tmp_path / "hold"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "PREP_PLAIN_HTTP": "1",
        "SECRET_KEY": settings.SECRET_KEY,
        "TRANSCRIPT_SWEEP_SECONDS": "3",
        "TRANSCRIPT_STUCK_AFTER_SECONDS": "3",
        "PREP_TEST_HOLD_FILE": str(hold),
        "PYTHONPATH": str(ROOT),
        # The worker runs on this test's pinned clock (see worker_hooks).
        "PREP_TEST_CLOCK_OFFSET": str(_clock_offset()),
    }
    t = make_transcript(alice, n=30, end=False)
    hold.touch()
    first = _worker(env, tmp_path, "first")
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        services.transcript_end(transcript=t)  # queues post-processing after commit
        assert _wait(lambda: Path(str(hold) + ".started").exists(), 120), (
            tmp_path / "first.log"
        ).read_text()[-3000:]
        assert Transcript.objects.get(pk=t.pk).status == Transcript.Status.PROCESSING
        _stop(first)  # killed mid post-processing
        assert Transcript.objects.get(pk=t.pk).status == Transcript.Status.PROCESSING

        second = _worker(env, tmp_path, "second")
        try:
            ready = _wait(
                lambda: Transcript.objects.get(pk=t.pk).status == Transcript.Status.READY,
                RECOVERY_BOUND,
            )
            assert ready, (tmp_path / "second.log").read_text()[-3000:]
        finally:
            _stop(second, signal.SIGTERM)
    finally:
        _stop(first)
        app.conf.task_always_eager, app.conf.task_default_queue = saved
