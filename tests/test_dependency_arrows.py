"""The dependency arrows between the parts of Prep are the ones ARCHITECTURE.md draws.

The graph is read from the source (every ``import`` and ``from … import``, at module level
or inside a function, relative ones resolved) with ``ast``, and compared both ways with the
arrow block of ARCHITECTURE.md: an import the document does not allow fails, and so does an
arrow the code no longer needs (the document must stay true).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted(p.name for p in (ROOT / "prep").iterdir() if (p / "apps.py").exists())

# Imports allowed although no arrow says so, each with its reason; keep this list short.
# (Empty: the transcript-file readers now live with the document, prep/transcripts/formats.py,
# so transcripts no longer imports capture.)
EXEMPT: set[tuple[str, str]] = set()


def part_of(module: str) -> str | None:
    """The part a dotted module name belongs to, in the arrow block's words."""
    parts = module.split(".")
    if parts[0] == "prep":
        if len(parts) > 1 and parts[1] in APPS:
            return parts[1]
        if len(parts) > 1 and parts[1] in ("settings", "urls", "celery", "wsgi", "asgi"):
            return "project"
        return "project" if len(parts) == 1 else None
    if parts[0] == "curriculum":
        return "curriculum.engine" if parts[1:2] == ["engine"] else "curriculum"
    if parts[0] == "tooling":
        return "tooling"
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports (relative imports resolved)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def actual_edges() -> dict[tuple[str, str], set[str]]:
    """(from part, to part) -> the files that make the arrow."""
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for top in ("prep", "curriculum", "tooling"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = part_of(module_name(path))
            rel = str(path.relative_to(ROOT))
            for module in imports_of(path):
                target = part_of(module)
                if target and source and target != source and (rel, target) not in EXEMPT:
                    edges[(source, target)].add(rel)
    return edges


def documented_edges() -> set[tuple[str, str]]:
    """The arrows of ARCHITECTURE.md's block between ``<!-- arrows -->`` markers:
    ``part ──▶ other, other`` (``nothing`` for none)."""
    text = (ROOT / "ARCHITECTURE.md").read_text()
    block = re.search(r"<!-- arrows -->(.*?)<!-- /arrows -->", text, re.S)
    assert block, "ARCHITECTURE.md has no <!-- arrows --> block"
    edges = set()
    for line in block.group(1).splitlines():
        if "──▶" not in line:
            continue
        source, _, targets = line.strip("` ").partition("──▶")
        for target in targets.split("(")[0].split(","):
            target = target.strip()
            if target and target != "nothing":
                edges.add((source.strip(), target))
    return edges


def test_the_documented_arrows_name_real_parts():
    parts = {*APPS, "project", "curriculum", "curriculum.engine", "tooling"}
    for source, target in documented_edges():
        assert source in parts and target in parts, (source, target)


def test_every_import_between_parts_follows_a_documented_arrow():
    allowed = documented_edges()
    stray = {
        f"{a} -> {b} ({', '.join(sorted(files))})"
        for (a, b), files in actual_edges().items()
        if (a, b) not in allowed
    }
    assert not stray, "imports ARCHITECTURE.md does not allow:\n" + "\n".join(sorted(stray))


def test_every_documented_arrow_is_still_needed():
    unused = documented_edges() - set(actual_edges())
    assert not unused, f"ARCHITECTURE.md draws arrows nothing uses: {sorted(unused)}"


def test_nothing_imports_the_tooling_or_an_app_into_the_engine():
    edges = actual_edges()
    assert not [e for e in edges if e[1] == "tooling"], "the product imports tooling/"
    assert {b for a, b in edges if a == "curriculum.engine"} <= {"curriculum"}
    assert not [e for e in edges if e[0] == "lib"], "prep/lib imports an app"
