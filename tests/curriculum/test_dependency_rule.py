"""The curriculum imports no app: apps report to it, never the reverse (ARCHITECTURE.md)."""

import ast
from pathlib import Path

CURRICULUM = Path(__file__).resolve().parents[2] / "curriculum"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_curriculum_imports_nothing_from_prep_but_its_helper_library():
    offending = {
        f"{path.relative_to(CURRICULUM.parent)}: {name}"
        for path in CURRICULUM.rglob("*.py")
        for name in imported_modules(path)
        if (name == "prep" or name.startswith("prep.")) and not name.startswith("prep.lib")
    }
    assert not offending, sorted(offending)
