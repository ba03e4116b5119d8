"""The sandbox: bubblewrap + resource limits under an unprivileged uid. No Django here.

One call of :func:`run` starts one sandboxed interpreter that reads ``stdin`` and whose
fd 1 is read back (capped). What the program can see and do:

- its own user, PID, IPC, UTS, cgroup and network namespaces (``--unshare-all``): no
  network at all, not even loopback to the host's services; the host's processes are
  invisible, so it cannot signal them;
- a read-only ``/usr`` (the system interpreter and its standard library) with the
  merged-/usr symlinks, NumPy's package directories bound read-only at
  ``/opt/judge/site``, a private ``/proc`` and ``/dev``, and a size-limited tmpfs at
  ``/tmp`` (its working directory), the only writable place; the root itself is
  remounted read-only. Nothing else of the host exists inside: no ``/etc``, no
  ``/home``, no ``/root``, no project tree, no environment (``--clearenv``);
- started by ``setpriv`` under an unprivileged host uid (when the judge runs as root:
  bubblewrap started as root still reads root-only files and ignores RLIMIT_NPROC) with
  no capabilities and ``no_new_privs``;
- rlimits set by ``prlimit``: CPU seconds, address space, processes, file size, open
  files, no core dumps; the wall clock is kept by the caller, which kills the sandbox
  (``--die-with-parent`` takes its whole PID namespace with it).

The interpreter is the system's own ``python3.X`` of the same minor version as the
host's (so the host's NumPy wheel fits), found under ``/usr``; set ``JUDGE_PYTHON`` to
choose another. NumPy comes from the host's installed package (the pinned dependency),
binding only its package directories, never the virtualenv or the project around it.
"""

from __future__ import annotations

import functools
import os
import random
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SITE = "/opt/judge/site"
UID_RANGE = (61000, 61999)  # host uids with no account; one is drawn per run


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 5
    wall_seconds: float = 10.0
    memory_mb: int = 1024
    processes: int = 16
    output_bytes: int = 2_000_000
    scratch_mb: int = 16


@dataclass
class Completed:
    """What came back from one sandboxed run."""

    stdout: bytes
    stderr: bytes
    returncode: int | None
    wall_ms: float
    timed_out: bool = False
    output_exceeded: bool = False


class SandboxUnavailable(Exception):
    """The sandbox cannot run here; the message says why. Nothing was run."""


def _python() -> str:
    configured = os.environ.get("JUDGE_PYTHON")
    if configured:
        return configured
    minor = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    candidates = [base, f"/usr/bin/{minor}", f"/usr/local/bin/{minor}"]
    for path in candidates:
        if path.startswith("/usr/") and os.access(path, os.X_OK):
            return path
    raise SandboxUnavailable(
        f"no {minor} interpreter under /usr to run inside the sandbox (set JUDGE_PYTHON)"
    )


def _numpy_dirs() -> list[Path]:
    try:
        import numpy
    except ImportError as exc:  # pragma: no cover - numpy is a pinned dependency
        raise SandboxUnavailable("NumPy is not installed for the judge") from exc
    package = Path(numpy.__file__).resolve().parent
    dirs = [package]
    libs = package.parent / "numpy.libs"
    if libs.is_dir():
        dirs.append(libs)
    return dirs


def _root_links() -> list[str]:
    """/bin, /lib, /lib64, /sbin as the host has them: symlinks into /usr on a merged-/usr
    system (Debian 12), otherwise read-only binds."""
    args: list[str] = []
    for name in ("bin", "sbin", "lib", "lib64"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


@functools.cache
def _tools() -> tuple[str, str | None, str]:
    bwrap = shutil.which("bwrap")
    if not bwrap:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    prlimit = shutil.which("prlimit")
    if not prlimit:
        raise SandboxUnavailable("prlimit (util-linux) is not installed")
    setpriv = None
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            raise SandboxUnavailable("the judge runs as root and setpriv is not installed")
    return bwrap, setpriv, prlimit


def command(limits: Limits, program: str) -> list[str]:
    """The argv that runs ``python -c program`` in the sandbox with ``limits``."""
    bwrap, setpriv, prlimit = _tools()
    python = _python()
    memory = limits.memory_mb * 1024 * 1024
    argv = [
        prlimit,
        f"--cpu={limits.cpu_seconds}",
        f"--as={memory}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.scratch_mb * 1024 * 1024}",
        "--nofile=64",
        "--core=0",
        "--",
    ]
    if setpriv:
        uid = random.randint(*UID_RANGE)
        argv += [
            setpriv,
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--no-new-privs",
            "--",
        ]
    argv += [
        bwrap,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--ro-bind",
        "/usr",
        "/usr",
        *_root_links(),
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(limits.scratch_mb * 1024 * 1024),
        "--tmpfs",
        "/tmp",
    ]
    for directory in _numpy_dirs():
        argv += ["--ro-bind", str(directory), f"{SITE}/{directory.name}"]
    argv += [
        "--remount-ro",
        "/",
        "--chdir",
        "/tmp",
        "--clearenv",
        "--setenv",
        "PATH",
        "/usr/bin",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "PYTHONPATH",
        SITE,
        "--setenv",
        "OPENBLAS_NUM_THREADS",
        "1",
        "--setenv",
        "OMP_NUM_THREADS",
        "1",
        "--setenv",
        "MKL_NUM_THREADS",
        "1",
        "--",
        python,
        "-S",
        "-B",
        "-c",
        program,
    ]
    return argv


def run(program: str, stdin: bytes, limits: Limits) -> Completed:
    """Run ``program`` (Python source) in a fresh sandbox, feed it ``stdin``, and return
    what it wrote; kill it at the wall-clock limit or once it writes more than
    ``limits.output_bytes``. Raises :class:`SandboxUnavailable` if it cannot start."""
    argv = command(limits, program)
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            close_fds=True,
            start_new_session=True,
        )
    except OSError as exc:
        raise SandboxUnavailable(f"the sandbox could not start: {exc}") from exc
    try:
        proc.stdin.write(stdin)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    out, err = bytearray(), bytearray()
    timed_out = exceeded = False
    deadline = started + limits.wall_seconds
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ, out)
        sel.register(proc.stderr, selectors.EVENT_READ, err)
        open_streams = 2
        while open_streams:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in sel.select(timeout=remaining):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                key.data.extend(chunk)
                if len(out) > limits.output_bytes or len(err) > 65536:
                    exceeded = True
                    break
            if exceeded:
                break
    if timed_out or exceeded:
        _kill(proc)
    returncode = proc.wait()
    proc.stdout.close()
    proc.stderr.close()
    return Completed(
        stdout=bytes(out[: limits.output_bytes]),
        stderr=bytes(err[:65536]),
        returncode=returncode,
        wall_ms=(time.perf_counter() - started) * 1000,
        timed_out=timed_out,
        output_exceeded=exceeded,
    )


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@functools.cache
def probe() -> str:
    """Start one sandbox that imports NumPy; return "" when it works, else the reason.
    Cached per process: a judge that could not start one sandbox runs nothing."""
    try:
        done = run("import numpy, sqlite3; print(numpy.__version__)", b"", Limits(wall_seconds=30))
    except SandboxUnavailable as exc:
        return str(exc)
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return f"the sandbox did not start (exit {done.returncode}: {detail[0]})"
    return ""
