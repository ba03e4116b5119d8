"""The program that runs INSIDE the sandbox: it reads one job from stdin, runs the
submitted code against the job's tests and writes one result line to fd 1.

It imports only the standard library (and NumPy for Python jobs), knows nothing of the
project, and is passed to the interpreter as ``-c`` source, so no project file is bound
into the sandbox. It never sees an expected value: outputs go back to the judge, which
compares them outside the sandbox.

What it writes to fd 1, one line each: ``MARK TEST <i>`` as test ``i`` starts, ``MARK OUT
{"i", "output", "ms", "stdout"}`` as it finishes, and last ``MARK RESULT {"status",
"error", "test"}``. So when the sandbox is killed (time, output, a crash) the judge still
knows which test was running and what the ones before it returned.
"""

import io
import json
import linecache
import math
import os
import sys
import time
import traceback

MARK = "\x1ePREP-"
SOLUTION = "solution.py"
PRINT_CAP = 1_000_000  # characters a program may print through sys.stdout/stderr


class OutputLimit(Exception):
    pass


class CappedText(io.TextIOBase):
    """sys.stdout/sys.stderr for the user's code: keeps the first bytes for display and
    stops the program once it has printed more than PRINT_CAP characters."""

    def __init__(self, box):
        self.box = box

    def writable(self):
        return True

    def write(self, text):
        self.box["n"] += len(text)
        if self.box["n"] > PRINT_CAP:
            raise OutputLimit()
        if len(self.box["text"]) < 2000:
            self.box["text"] += text[: 2000 - len(self.box["text"])]
        return len(text)


def plain(value, depth=0):
    """Turn an output into JSON-able data: arrays and tuples become lists, NumPy scalars
    Python numbers; anything else unknown becomes a tagged repr (which never matches)."""
    if depth > 20:
        return {"__repr__": "too deeply nested"}
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(value, np.ndarray) and depth + value.ndim <= 19:
            if value.dtype.kind in "biu" and value.dtype != np.uint64:
                return value.tolist()  # bools and ints that fit: already plain
            if value.dtype.kind == "f" and value.dtype.itemsize <= 8 and np.isfinite(value).all():
                return value.tolist()  # finite floats: already plain
        if isinstance(value, np.ndarray):
            return plain(value.tolist(), depth + 1)
        if isinstance(value, np.generic):
            return plain(value.item(), depth + 1)
    if value is None or isinstance(value, (bool, int, str)):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
            return float(value)
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return {"__float__": "nan"}
        if math.isinf(value):
            return {"__float__": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v, depth + 1) for v in value), key=repr)
    return {"__repr__": f"{type(value).__name__}: {repr(value)[:200]}"}


def short_traceback(exc):
    """The traceback of the user's code only: frames of the harness are dropped and
    library paths lose their sandbox prefix."""
    stdlib = f"/usr/lib/python{sys.version_info[0]}.{sys.version_info[1]}/"
    lines = ["Traceback (most recent call last):\n"]
    for f in traceback.extract_tb(exc.__traceback__):
        if f.filename != SOLUTION and f.filename.startswith("<"):
            continue  # the harness and the (hidden) test code
        name = f.filename.replace("/opt/judge/site/", "").replace(stdlib, "")
        lines.append(f'  File "{name}", line {f.lineno}, in {f.name}\n')
        if f.line:
            lines.append(f"    {f.line}\n")
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return "".join(lines)[-4000:]


def classify(exc):
    if isinstance(exc, OutputLimit):
        return "output_limit"
    if isinstance(exc, MemoryError):
        return "memory_limit"
    return "runtime_error"


def run_python(job, out):
    import numpy as np

    namespace = {"__name__": "solution"}
    box = {"n": 0, "text": ""}
    sys.stdout = sys.stderr = CappedText(box)
    linecache.cache[SOLUTION] = (len(job["code"]), None, job["code"].splitlines(True), SOLUTION)
    try:
        exec(compile(job["code"], SOLUTION, "exec"), namespace)
        func = namespace.get(job["function"])
        if not callable(func):
            raise NameError(f"the solution defines no function called {job['function']!r}")
        normalize = None
        if job.get("normalize"):
            helpers = {"np": np}
            exec(compile(job["normalize"], "<normalize>", "exec"), helpers)
            normalize = helpers["normalize"]
    except BaseException as exc:  # noqa: BLE001 - every failure of user code is a verdict
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        out("RESULT", {"status": classify(exc), "error": short_traceback(exc), "test": None})
        return
    for index, test in enumerate(job["tests"]):
        env = {"np": np, job["function"]: func}
        box["text"] = ""
        out("TEST", index)
        started = time.perf_counter()
        try:
            if test.get("setup"):
                exec(compile(test["setup"], "<test>", "exec"), env)
            output = eval(compile(test["call"], "<test>", "eval"), env)
            if normalize is not None:
                output = normalize(output)
            value = plain(output)
        except BaseException as exc:  # noqa: BLE001
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            out("RESULT", {"status": classify(exc), "error": short_traceback(exc), "test": index})
            return
        ms = (time.perf_counter() - started) * 1000
        out("OUT", {"i": index, "output": value, "ms": round(ms, 2), "stdout": box["text"]})
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    out("RESULT", {"status": "ok", "error": "", "test": None})


def run_sql(job, out):
    import sqlite3

    for index, test in enumerate(job["tests"]):
        out("TEST", index)
        started = time.perf_counter()
        try:
            db = sqlite3.connect(":memory:")
            db.executescript(test["setup"])
            cursor = db.execute(job["code"])
            rows = cursor.fetchmany(10_001)
            if len(rows) > 10_000:
                raise OutputLimit()
            value = [[round(c, 6) if isinstance(c, float) else c for c in row] for row in rows]
            db.close()
        except OutputLimit:
            out("RESULT", {"status": "output_limit", "error": "", "test": index})
            return
        except MemoryError:
            out("RESULT", {"status": "memory_limit", "error": "", "test": index})
            return
        except Exception as exc:  # noqa: BLE001 - an SQL error is the user's
            message = f"{type(exc).__name__}: {exc}"
            out("RESULT", {"status": "runtime_error", "error": message, "test": index})
            return
        ms = (time.perf_counter() - started) * 1000
        out("OUT", {"i": index, "output": plain(value), "ms": round(ms, 2), "stdout": ""})
    out("RESULT", {"status": "ok", "error": "", "test": None})


def main():
    job = json.loads(sys.stdin.read())
    sys.stdin = io.StringIO("")

    def out(kind, payload):
        data = (MARK + kind + " " + json.dumps(payload) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(1, view) :]

    sys.setrecursionlimit(5000)
    if job["kind"] == "sql":
        run_sql(job, out)
    else:
        run_python(job, out)


main()
