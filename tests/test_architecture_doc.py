"""ARCHITECTURE.md points at things that exist: every path it names, every dotted name of
ours it gives (a module, or a name defined in one), every app of INSTALLED_APPS, and a
README beside each app. A rename that forgets the document fails here.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
FENCED = re.compile(r"^ *```.*?^ *```", re.S | re.M)
PATH_ROOTS = ("prep/", "curriculum/", "tooling/", "tests/", "templates/", "static/", "docker/")
PATH_ROOTS += (".ci/",)
APPS = sorted(p.name for p in (ROOT / "prep").iterdir() if (p / "apps.py").exists())
# ``prep.lib.cache``, ``curriculum.plans.fix_event``, or an app's own ``mocks.selectors.x``.
DOTTED = re.compile(rf"(?:prep|curriculum|{'|'.join(APPS)})(?:\.\w+)+")


def named_paths(text: str) -> list[str]:
    """Paths in backticks or as link targets, from a root of the project; ``<app>`` and
    the like are placeholders, not paths."""
    text = FENCED.sub("", text)
    found = re.findall(r"`([^`\s]+)`", text) + re.findall(r"\]\(([^)\s]+)\)", text)
    return sorted({p.rstrip(".,:;") for p in found if p.startswith(PATH_ROOTS) and "<" not in p})


def named_objects(text: str) -> list[str]:
    """Dotted names of ours in backticks: ``prep.lib.localtime.local_day(tz, now)`` gives
    ``prep.lib.localtime.local_day``; ``curriculum.progress.record/retract`` gives both;
    ``booking.services.x`` is ``prep.booking.services.x``."""
    names = set()
    for tick in re.findall(r"`([^`]+)`", FENCED.sub("", text)):
        match = DOTTED.match(tick)
        if not match:
            continue
        name = match.group(0)
        if name.split(".")[0] in APPS:
            name = f"prep.{name}"
        names.add(name)
        rest = tick[match.end() :]
        while rest.startswith("/"):
            sibling = re.match(r"/(\w+)", rest)
            names.add(name.rsplit(".", 1)[0] + "." + sibling.group(1))
            rest = rest[sibling.end() :]
    return sorted(names)


def exists(path: str) -> bool:
    if any(c in path for c in "*?["):
        return any(ROOT.glob(path))
    return (ROOT / path).exists()


def resolves(dotted: str) -> bool:
    """A module, or a name defined in the longest module prefix of ``dotted``."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def local_apps() -> list[str]:
    return [
        app
        for app in settings.INSTALLED_APPS
        if app.split(".")[0] in ("prep", "curriculum", "tooling")
    ]


def test_the_document_names_paths_and_names_at_all():
    # The checks below would pass on a document that names nothing.
    assert len(named_paths(DOC)) > 50
    assert len(named_objects(DOC)) > 30


def test_every_path_the_document_names_exists():
    assert [p for p in named_paths(DOC) if not exists(p)] == []


def test_every_dotted_name_the_document_gives_resolves():
    assert [n for n in named_objects(DOC) if not resolves(n)] == []


def test_the_layout_lists_every_app_and_each_has_a_readme():
    layout = DOC.split("## Layout", 1)[1].split("##", 1)[0]
    for app in local_apps():
        folder = app.split(".")[-1]
        assert re.search(rf"^ *{folder}/ ", layout, re.M), f"{folder}/ is not in the layout"
        assert (ROOT / app.replace(".", "/") / "README.md").exists(), f"{app} has no README"


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("see `prep/lib/nothing_here.py`", "prep/lib/nothing_here.py"),
        ("[gone](prep/gone/README.md)", "prep/gone/README.md"),
        ("`curriculum/content/*.toml`", "curriculum/content/*.toml"),
    ],
)
def test_a_path_that_does_not_exist_is_caught(text, bad):
    assert named_paths(text) == [bad]
    assert not exists(bad)


@pytest.mark.parametrize(
    "text",
    [
        "`prep.lib.localtime.no_such_helper(tz)`",
        "`prep.nosuchapp.selectors`",
        "`curriculum.progress.record/unsay`",
    ],
)
def test_a_name_that_does_not_resolve_is_caught(text):
    assert not all(resolves(n) for n in named_objects(text))
