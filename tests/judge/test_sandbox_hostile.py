"""Hostile programs in the real sandbox: each gets the right verdict, nothing leaks or
escapes, and the judge runs the next submission normally."""

import os
from pathlib import Path

import pytest

from prep.judge.runner import Case, Spec, judge
from prep.judge.sandbox import Limits

pytestmark = pytest.mark.usefixtures("real_sandbox")

SQUARE = Spec(
    slug="square",
    kind="python",
    function="f",
    examples=(Case(call="f(np.array([1.0, 2.0]))", expected=[1.0, 4.0]),),
    tests=(Case(call="f(np.arange(5.0))"), Case(setup="x = np.ones(3)", call="f(x)")),
    reference="def f(x):\n    return x ** 2\n",
    version="hostile-1",
)
GOOD = "def f(x):\n    return x * x\n"
LIMITS = Limits(cpu_seconds=2, wall_seconds=6)
PROJECT = Path(__file__).resolve().parents[2]


def run(body: str):
    code = "import os, signal, socket, ctypes, numpy as np\n\ndef f(x):\n" + "".join(
        f"    {line}\n" for line in body.strip().splitlines()
    )
    return judge(code=code, spec=SQUARE, limits=LIMITS)


def everything_said(verdict) -> str:
    return repr(verdict.as_dict())


@pytest.fixture(autouse=True)
def judge_still_healthy():
    """After each hostile program the next, honest submission is accepted."""
    yield
    assert judge(code=GOOD, spec=SQUARE, limits=LIMITS).verdict == "accepted"


def test_infinite_loop_is_a_time_limit():
    assert run("while True:\n    pass").verdict == "time_limit"


def test_sleeping_forever_is_a_time_limit_by_the_wall_clock():
    import time

    started = time.monotonic()
    verdict = judge(
        code="import time\ndef f(x):\n    time.sleep(3600)\n",
        spec=SQUARE,
        limits=Limits(cpu_seconds=2, wall_seconds=2),
    )
    assert verdict.verdict == "time_limit"
    assert time.monotonic() - started < 60  # it was killed, not waited for


def test_fork_bomb_is_stopped_by_the_process_limit():
    verdict = run("while True:\n    os.fork()")
    assert verdict.verdict in {"runtime_error", "time_limit"}
    assert verdict.verdict != "accepted"


def test_four_gigabyte_allocation_is_a_memory_limit():
    verdict = run("a = np.ones(2**29)\nreturn a[:2]")
    assert verdict.verdict == "memory_limit"


def test_a_pure_python_allocation_is_a_memory_limit_too():
    assert run("a = [0] * (2**30)\nreturn x").verdict == "memory_limit"


def test_a_hundred_megabytes_printed_is_an_output_limit():
    assert run("print('x' * 10**8)").verdict == "output_limit"


def test_a_hundred_megabytes_written_to_fd1_is_an_output_limit():
    assert run("for _ in range(100):\n    os.write(1, b'x' * 10**6)").verdict == "output_limit"


def test_no_network_not_even_the_hosts_postgres():
    verdict = run("socket.create_connection(('127.0.0.1', 5432), timeout=2)\nreturn x * x")
    assert verdict.verdict == "runtime_error"
    assert "ConnectionRefusedError" in verdict.error or "unreachable" in verdict.error


def test_etc_passwd_is_not_there():
    verdict = run("return open('/etc/passwd').read()")
    assert verdict.verdict == "runtime_error"
    assert "root:" not in everything_said(verdict)


def test_the_projects_settings_are_not_there():
    settings_file = PROJECT / "prep" / "settings.py"
    assert settings_file.exists()
    verdict = run(f"return open({str(settings_file)!r}).read()")
    assert verdict.verdict == "runtime_error"
    assert "FileNotFoundError" in verdict.error
    assert "SECRET_KEY" not in everything_said(verdict)


def test_the_environment_holds_no_secret(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "hostile-test-secret-value")
    verdict = run("return [os.environ.get('SECRET_KEY'), sorted(os.environ)]")
    assert "hostile-test-secret-value" not in everything_said(verdict)
    assert verdict.verdict == "wrong_answer"
    assert verdict.failed["actual"].startswith("[null, [")


def test_nothing_can_be_written_outside_the_scratch_directory(tmp_path):
    target = tmp_path / "escaped.txt"
    os.chmod(tmp_path, 0o777)
    for path in (str(target), "/usr/escaped.txt", "/escaped.txt"):
        verdict = run(f"open({path!r}, 'w').write('x')\nreturn x * x")
        assert verdict.verdict == "runtime_error", path
    assert not target.exists()
    assert not Path("/usr/escaped.txt").exists()


def test_the_scratch_directory_is_writable_and_private():
    verdict = run("open('/tmp/scratch.txt', 'w').write('ok')\nreturn x * x")
    assert verdict.verdict == "accepted"
    assert not Path("/tmp/scratch.txt").exists() or Path("/tmp/scratch.txt").read_text() != "ok"


def test_killing_the_parent_reaches_nothing_outside():
    verdict = run("os.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)\nreturn x * x")
    assert verdict.verdict in {"accepted", "runtime_error"}
    os.kill(os.getpid(), 0)  # this process (the judge's host) is alive


def test_a_c_extension_segfault_is_a_runtime_error_without_sandbox_paths():
    verdict = run("return ctypes.string_at(0)")
    assert verdict.verdict == "runtime_error"
    assert "SIGSEGV" in verdict.error


def test_tracebacks_name_the_solution_not_sandbox_paths():
    verdict = run("return x.missing_attribute")
    assert verdict.verdict == "runtime_error"
    assert 'File "solution.py"' in verdict.error
    for leak in ("/opt/judge", "/tmp", str(PROJECT), "<string>", "harness"):
        assert leak not in verdict.error


def test_runs_as_an_unprivileged_user_with_no_capabilities():
    verdict = run(
        "return [os.getuid() == 0, open('/proc/self/status').read().count('CapEff:\\t0000000000000000')]"
    )
    assert verdict.failed["actual"] == "[false, 1]"


def test_a_time_limit_names_the_test_that_was_running_and_keeps_the_ones_before():
    # Only the second hidden test (three elements) never ends: one sandbox runs all the
    # tests, and the verdict still says which one ran out of time.
    verdict = run("if len(x) == 3:\n    while True:\n        pass\nreturn x * x")
    assert verdict.verdict == "time_limit"
    assert verdict.message == "Time limit exceeded. On hidden test 2."
    assert [(t.public, t.number, t.passed) for t in verdict.tests] == [
        (True, 1, True),
        (False, 1, True),
        (False, 2, False),
    ]


def test_a_crash_names_the_test_it_happened_in():
    verdict = run("if len(x) == 5:\n    ctypes.string_at(0)\nreturn x * x")
    assert verdict.verdict == "runtime_error"
    assert "SIGSEGV" in verdict.error
    assert verdict.message == "Runtime error. On hidden test 1."
    assert [t.passed for t in verdict.tests] == [True, False, False]
