"""A served process freezes what start-up loaded (prep/lib/warmup.py), so that the garbage
collector's full passes do not walk the ~130,000 long-lived objects of a Django process on
some unlucky request."""

import os
import subprocess
import sys
from pathlib import Path

from django.template import engines

from prep.lib.warmup import site_templates

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, prep.wsgi; "
    "from django.urls import get_resolver; "
    "print(gc.get_freeze_count(), len(gc.get_objects()), "
    "'prep.drills.views' in __import__('sys').modules)"
)


def _served(**env) -> tuple[int, int, bool]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "prep.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1]), out[2] == "True"


def test_the_wsgi_process_freezes_what_start_up_loaded_views_and_templates_included():
    frozen, unfrozen, views_loaded = _served()
    assert views_loaded  # the URLconf was imported before freezing
    assert frozen > 50_000
    # What a full collection still walks after start-up: almost nothing.
    assert unfrozen < frozen // 20


def test_prep_gc_freeze_0_leaves_the_collector_as_python_starts_it():
    frozen, unfrozen, _ = _served(PREP_GC_FREEZE="0")
    assert frozen == 0
    assert unfrozen > 50_000


def test_every_site_template_compiles():
    names = site_templates()
    assert "base.html" in names and "dashboard/today.html" in names
    engine = engines["django"]
    for name in names:
        engine.get_template(name)  # raises TemplateSyntaxError on a broken one
