"""`make bench` runs every benchmark module: a module that can run on its own (a `main` and
an `if __name__ == "__main__"` block) and is missing from the list prints nothing, unnoticed
(the dashboard, review and plan page bench was once left out that way)."""

import ast
from pathlib import Path

from tooling.bench.__main__ import MODULES

BENCH = Path(__file__).resolve().parents[2] / "tooling" / "bench"


def _runnable(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    has_main = any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body)
    runs = any(isinstance(n, ast.If) and "__main__" in ast.unparse(n.test) for n in tree.body)
    return has_main and runs


def test_every_runnable_bench_module_is_in_make_bench():
    runnable = {
        f"tooling.bench.{p.stem}"
        for p in BENCH.glob("*.py")
        if p.stem != "__main__" and _runnable(p)
    }
    assert runnable, "no bench module found: the test would prove nothing"
    assert runnable - set(MODULES) == set()
    assert {m for m in MODULES if m.startswith("tooling.bench.")} <= runnable
