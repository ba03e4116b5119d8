"""A served process's start: load what every request will need, then take it out of the
garbage collector's way (``prep/wsgi.py`` and ``prep/asgi.py`` call ``warm_up``).

A Django process holds some 130,000 long-lived objects once its apps are loaded (models,
URL patterns, compiled templates). CPython's full collection walks all of them: 40–80 ms on
a small server, paid by whichever request happens to trigger it, which is what a page's
95th percentile then shows. ``gc.freeze()`` moves the objects alive at that point into a
permanent generation the collector never walks (the CPython documentation's advice for
processes such as gunicorn's workers). Before freezing, the URLconf is imported (every
view module) and the site's own templates are compiled into the cached loader, so that
what the first requests would load is frozen too; a collection first frees what start-up
left behind, so no garbage is frozen with it.

PREP_GC_FREEZE=0 turns it off (to compare). Nothing here touches the database: with
gunicorn's ``--preload`` it would run before the fork.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver


def site_templates() -> list[str]:
    """The names of the site's own templates (the ``templates/`` folders of TEMPLATES' DIRS)."""
    names = []
    for config in settings.TEMPLATES:
        for folder in map(Path, config.get("DIRS", [])):
            names += sorted(
                str(path.relative_to(folder))
                for path in folder.rglob("*")
                if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg"}
            )
    return names


def warm_up() -> int:
    """Load the URLconf and the site's templates, collect, and freeze what is left: the
    number of objects frozen (0 when PREP_GC_FREEZE=0)."""
    if os.environ.get("PREP_GC_FREEZE", "1") == "0":
        return 0
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    engine = engines["django"]
    for name in site_templates():
        engine.get_template(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
