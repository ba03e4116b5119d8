"""`python -m tooling.bench.judge`: the judge's figures, one line each (DESIGN §5 format).

- judge_overhead_ms: median wall time of a sandbox running ``pass`` minus that of a bare
  ``python -c pass`` of the same interpreter, measured alternately in the same run;
- judge_verdicts_per_s: verdicts per second for a 10-test NumPy problem (Submit: examples
  and hidden tests) with two judge processes, as the compose judge worker runs
  (``--concurrency=2``) on 2 cores;
- judge_p95_ms: 95th percentile of the time from submission to verdict when 20 users
  submit at the same moment to those two judge processes.

It measures the runner and its sandbox (what a judge worker does per task), without the
broker hop or the database write, which the other benchmarks cover. Needs no database.
Each line names the machine's 1-minute load average at the start: on 2 cores the p95 is
CPU-bound, so it grows with whatever else runs (1.4 s at load 1.9; 7.1 s on a loaded box).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor

from prep.judge import sandbox
from prep.judge.runner import Case, Spec, judge

WORKERS = 2
USERS = 20

SOFTMAX = """import numpy as np

def softmax(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""
SPEC = Spec(
    slug="bench-softmax",
    kind="python",
    function="softmax",
    examples=(Case(call="softmax(np.array([0.0, 0.0]))", expected=[0.5, 0.5]),),
    tests=tuple(
        Case(
            setup=f"rng = np.random.default_rng({i}); x = rng.normal(size=(32, 64)) * 50",
            call="softmax(x)",
        )
        for i in range(9)
    ),
    reference=SOFTMAX,
    version="bench-1",
)


def _judge_once(_=None) -> tuple[str, float, float]:
    started = time.perf_counter()
    verdict = judge(code=SOFTMAX, spec=SPEC)
    return verdict.verdict, started, time.perf_counter()


def _warm(_=None) -> str:
    return judge(code=SOFTMAX, spec=SPEC).verdict  # caches the reference outputs


def overhead(runs: int = 20) -> tuple[float, float]:
    python = sandbox._python()
    bare, boxed = [], []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([python, "-S", "-c", "pass"], check=True)
        bare.append((time.perf_counter() - t) * 1000)
        done = sandbox.run("pass", b"", sandbox.Limits())
        assert done.returncode == 0, done.stderr
        boxed.append(done.wall_ms)
    return statistics.median(boxed), statistics.median(bare)


def main() -> int:
    reason = sandbox.probe()
    if reason:
        print(f"bench: judge skipped: no sandbox ({reason})")
        return 1
    where = f"no database, {WORKERS} judge processes, load {os.getloadavg()[0]:.1f}"
    boxed, bare = overhead()
    print(
        f"bench: judge_overhead_ms = {boxed - bare:.1f} ms ({where}, sandbox {boxed:.1f} ms vs "
        f"bare python -c pass {bare:.1f} ms, median of 20)"
    )
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        assert set(pool.map(_warm, range(WORKERS))) == {"accepted"}
        n = 40
        started = time.perf_counter()
        verdicts = list(pool.map(_judge_once, range(n)))
        elapsed = time.perf_counter() - started
        assert all(v == "accepted" for v, _, _ in verdicts)
        print(
            f"bench: judge_verdicts_per_s = {n / elapsed:.1f} verdicts/s "
            f"({where}, {n} submissions of a 10-test NumPy problem)"
        )
        submitted = time.perf_counter()
        futures = [pool.submit(_judge_once) for _ in range(USERS)]
        latencies = sorted((f.result()[2] - submitted) * 1000 for f in futures)
        p95 = latencies[int(round(0.95 * len(latencies))) - 1]
        print(
            f"bench: judge_p95_ms = {p95:.0f} ms ({where}, {USERS} users submitting at once, "
            f"10-test NumPy problem)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
