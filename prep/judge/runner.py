"""The judge's runner: code + a problem's tests + limits → a verdict. Knows no Django.

One sandbox (``prep.judge.sandbox``) per submission runs all of its tests; the sandbox
returns outputs only, and they are compared here, outside it, so the submitted program
never sees an expected value. Public examples carry their expected values in the
content; hidden tests are compared with the reference solution's outputs, computed once
per problem version in a sandbox of their own and kept for the life of the process.

Verdicts: ``accepted``, ``wrong_answer``, ``runtime_error``, ``time_limit``,
``memory_limit``, ``output_limit``, ``judge_error``. Where there is no sandbox the
verdict is ``judge_error`` saying so, and nothing runs.
"""

from __future__ import annotations

import json
import math
import re
import signal
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import sandbox
from .sandbox import Limits, SandboxUnavailable

VERDICTS = (
    "accepted",
    "wrong_answer",
    "runtime_error",
    "time_limit",
    "memory_limit",
    "output_limit",
    "judge_error",
)
MAX_CODE_BYTES = 64 * 1024
HARNESS = (Path(__file__).parent / "harness.py").read_text()
LINE = re.compile(rb"\x1ePREP-(TEST|OUT|RESULT) ([^\n]*)\n")  # the harness's lines


@dataclass(frozen=True)
class Case:
    call: str  # Python: an expression calling the function; SQL: unused
    setup: str = ""  # Python: statements run before ``call``; SQL: the fixture script
    expected: Any = None  # public examples only (hidden ones use the reference's output)
    show: str = ""  # how a public example is shown to the user


@dataclass(frozen=True)
class Spec:
    """What the runner needs of a problem (built from content by ``prep.judge.bank``)."""

    slug: str
    kind: str  # "python" or "sql"
    function: str
    examples: tuple[Case, ...]
    tests: tuple[Case, ...]
    reference: str
    rtol: float = 1e-6
    atol: float = 1e-8
    normalize: str = ""
    ordered: bool = True  # SQL: does the row order matter?
    version: str = ""


@dataclass
class TestResult:
    public: bool
    number: int  # 1-based within its group (examples or hidden tests)
    passed: bool
    ms: float = 0.0


@dataclass
class Verdict:
    verdict: str
    message: str = ""
    tests: list[TestResult] = field(default_factory=list)
    failed: dict | None = None  # the first failing public example: call, expected, actual
    failed_hidden: int | None = None  # the number of the first failing hidden test
    error: str = ""  # traceback or SQL error, without sandbox paths
    stdout: str = ""
    wall_ms: float = 0.0

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tests if t.passed)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["passed"] = self.passed
        data["total"] = len(self.tests)
        return data


# --- comparing outputs ---------------------------------------------------------------


def _number(value):
    if isinstance(value, dict) and "__float__" in value:
        return float(value["__float__"])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def _float_array(value) -> np.ndarray | None:
    """A list of floats (or of such lists, all of one shape) as an array; else None."""
    if not isinstance(value, list) or not value:
        return None
    if all(type(v) is float for v in value):
        return np.array(value, dtype=float)
    if all(type(v) is list for v in value):
        rows = [_float_array(v) for v in value]
        if all(r is not None and r.shape == rows[0].shape for r in rows):
            return np.stack(rows)
    return None


def _close(a: np.ndarray, e: np.ndarray, rtol: float, atol: float) -> bool:
    """``math.isclose`` element by element (the same IEEE operations), NaN matching NaN."""
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(e - a)
        ok = (a == e) | (diff <= np.abs(rtol * e)) | (diff <= np.abs(rtol * a)) | (diff <= atol)
    finite = np.isfinite(a) & np.isfinite(e)
    ok = np.where(finite, ok, a == e) | (np.isnan(a) & np.isnan(e))
    return bool(ok.all())


def same(actual, expected, rtol: float, atol: float) -> bool:
    """Equal up to the tolerance for floats, exactly for everything else; lists must have
    the same length (so shapes must match); NaN matches only NaN. Lists of floats (an
    array's output) are compared at once, by the same rule."""
    if isinstance(expected, list) and isinstance(actual, list):
        e = _float_array(expected)
        if e is not None:
            a = _float_array(actual)
            if a is not None:
                return a.shape == e.shape and _close(a, e, rtol, atol)
    e, a = _number(expected), _number(actual)
    if e is not None:
        if a is None:
            return False
        if math.isnan(e) or math.isnan(a):
            return math.isnan(e) and math.isnan(a)
        if math.isinf(e) or math.isinf(a):
            return e == a
        return math.isclose(a, e, rel_tol=rtol, abs_tol=atol)
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same(x, y, rtol, atol) for x, y in zip(actual, expected, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(same(actual[k], expected[k], rtol, atol) for k in expected)
        )
    return type(actual) is type(expected) and actual == expected


def _rows_key(row):
    def cell(c):
        if isinstance(c, (int, float)) and not isinstance(c, bool):
            return round(float(c), 6)
        return c

    return json.dumps([cell(c) for c in row] if isinstance(row, list) else row, default=str)


def _canonical(spec: Spec, value):
    if spec.kind == "sql" and not spec.ordered and isinstance(value, list):
        return sorted(value, key=_rows_key)
    return value


def display(value) -> str:
    """An output as a user reads it: floats to 6 significant digits."""

    def tidy(v):
        if isinstance(v, float):
            return float(f"{v:.6g}")
        if isinstance(v, list):
            return [tidy(x) for x in v]
        if isinstance(v, dict):
            if "__float__" in v:
                return v["__float__"]
            if "__repr__" in v:
                return v["__repr__"]
            return {k: tidy(x) for k, x in v.items()}
        return v

    text = json.dumps(tidy(value))
    return text if len(text) <= 2000 else text[:2000] + " …"


# --- running ------------------------------------------------------------------------


def _job(spec: Spec, code: str, tests: tuple[Case, ...]) -> bytes:
    payload = {
        "kind": spec.kind,
        "code": code,
        "function": spec.function,
        "normalize": spec.normalize,
        "tests": [{"setup": t.setup, "call": t.call} for t in tests],
    }
    return json.dumps(payload).encode()


def _read(stdout: bytes) -> tuple[dict | None, list[dict], int | None]:
    """The harness's lines → (its final payload or None, each finished test's result by
    position, the test that started last)."""
    final, results, started = None, {}, None
    for kind, data in LINE.findall(stdout):
        try:
            value = json.loads(data)
        except ValueError:
            continue
        if kind == b"TEST" and isinstance(value, int):
            started = value
        elif kind == b"OUT" and isinstance(value, dict) and isinstance(value.get("i"), int):
            results[value["i"]] = value
        elif kind == b"RESULT" and isinstance(value, dict) and "status" in value:
            final = value
    ordered = []
    while len(ordered) in results:  # the finished tests, in order, up to the first gap
        ordered.append(results[len(ordered)])
    return final, ordered, started


def _execute(spec: Spec, code: str, tests: tuple[Case, ...], limits: Limits):
    """Run ``code`` on ``tests`` in one sandbox → (status, payload, completed); the payload
    has the finished tests' ``results`` and the ``test`` the status is about (the running
    one when the sandbox was stopped), whatever stopped it."""
    done = sandbox.run(HARNESS, _job(spec, code, tests), limits)
    final, results, started = _read(done.stdout)
    payload = {"status": "", "error": "", "test": started, "results": results}
    if done.output_exceeded:
        status = "output_limit"
    elif done.timed_out:
        status = "time_limit"
    elif final is not None:
        payload.update(final)
        payload["results"] = results
        return final["status"], payload, done
    else:
        rc = done.returncode or 0
        signals = {-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGXCPU, 128 + signal.SIGKILL}
        if rc in signals:
            status = "time_limit"
        elif rc in (-signal.SIGXFSZ, 128 + signal.SIGXFSZ):
            status = "output_limit"
        else:
            status = "runtime_error"
    payload["status"] = status
    return status, payload, done


def _crash_message(done) -> str:
    rc = done.returncode or 0
    number = -rc if rc < 0 else rc - 128 if rc > 128 else 0
    if number:
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"The program was killed by {name} (exit status {rc})."
    return f"The program ended without finishing its tests (exit status {rc})."


_REFERENCE_OUTPUTS: dict[tuple[str, str, str], tuple] = {}


def _reference_outputs(spec: Spec, limits: Limits) -> tuple:
    key = (spec.kind, spec.slug, spec.version)
    if key not in _REFERENCE_OUTPUTS:
        _REFERENCE_OUTPUTS[key] = _run_reference(spec, limits)
    return _REFERENCE_OUTPUTS[key]


def _run_reference(spec: Spec, limits: Limits) -> tuple:
    status, payload, done = _execute(spec, spec.reference, spec.tests, limits)
    if status != "ok":
        detail = (payload or {}).get("error") or _crash_message(done)
        raise RuntimeError(f"the reference solution of {spec.slug} failed ({status}): {detail}")
    return tuple(_canonical(spec, r["output"]) for r in payload["results"])


def judge(
    *,
    code: str,
    spec: Spec,
    submit: bool = True,
    limits: Limits | None = None,
) -> Verdict:
    """Judge ``code`` on the public examples, and with ``submit`` on the hidden tests too.
    Stops at nothing: every test runs, and the verdict names the first failure."""
    limits = limits or Limits()
    if len(code.encode()) > MAX_CODE_BYTES:
        return Verdict("judge_error", message=f"The code is over {MAX_CODE_BYTES // 1024} KB.")
    reason = sandbox.probe()
    if reason:
        return Verdict(
            "judge_error",
            message=f"The judge has no sandbox on this server ({reason}); nothing was run.",
        )
    try:
        expected_hidden = _reference_outputs(spec, limits) if submit else ()
    except (RuntimeError, SandboxUnavailable) as exc:
        return Verdict("judge_error", message=f"The judge could not prepare this problem: {exc}")
    tests = spec.examples + (spec.tests if submit else ())
    try:
        status, payload, done = _execute(spec, code, tests, limits)
    except SandboxUnavailable as exc:
        return Verdict("judge_error", message=f"The sandbox could not run: {exc}; nothing ran.")
    results = (payload or {}).get("results", [])
    verdict = Verdict("accepted", wall_ms=round(done.wall_ms, 1))
    first_bad = None
    for index, test in enumerate(tests):
        public = index < len(spec.examples)
        number = index + 1 if public else index - len(spec.examples) + 1
        if index >= len(results):
            verdict.tests.append(TestResult(public, number, False))
            if first_bad is None:
                first_bad = index
            continue
        got = results[index]
        expected = test.expected if public else expected_hidden[number - 1]
        actual = _canonical(spec, got["output"])
        ok = same(actual, _canonical(spec, expected), spec.rtol, spec.atol)
        verdict.tests.append(TestResult(public, number, ok, got.get("ms", 0.0)))
        if not ok and first_bad is None:
            first_bad = index
            if public:
                verdict.failed = {
                    "number": number,
                    "call": test.show or test.call,
                    "expected": display(expected),
                    "actual": display(got["output"]),
                    "stdout": got.get("stdout", ""),
                }
            else:
                verdict.failed_hidden = number
    if status != "ok":
        verdict.verdict = status
        verdict.error = "" if status == "output_limit" else (payload or {}).get("error") or ""
        if not verdict.error and status == "runtime_error":
            verdict.error = _crash_message(done)
        where = (payload or {}).get("test")
        if where is not None:
            public = where < len(spec.examples)
            verdict.message = (
                f"On example {where + 1}."
                if public
                else f"On hidden test {where - len(spec.examples) + 1}."
            )
        verdict.message = (_MESSAGES[status] + " " + verdict.message).strip()
        return verdict
    if first_bad is not None:
        verdict.verdict = "wrong_answer"
        if verdict.failed:
            verdict.message = f"Wrong answer on example {verdict.failed['number']}."
        else:
            verdict.message = f"Wrong answer on hidden test {verdict.failed_hidden}."
        return verdict
    verdict.message = (
        f"All {len(tests)} tests passed." if submit else f"All {len(tests)} examples passed."
    )
    return verdict


_MESSAGES = {
    "runtime_error": "Runtime error.",
    "time_limit": "Time limit exceeded.",
    "memory_limit": "Memory limit exceeded.",
    "output_limit": "Output limit exceeded: the program printed too much.",
}
