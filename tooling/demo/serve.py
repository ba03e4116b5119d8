"""The last step of ``make demo``: ``python -m tooling.demo.serve --port 8000 --started T``.

Runs the development server, waits until its first page answers, then prints how long
``make demo`` took from ``T`` (a Unix time taken when make started, before installing) and
the demo login, last. Ctrl-C stops the server. Uses only the standard library and Django's
own ``runserver``, so it runs with the runtime dependencies alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tooling.demo import DEMO_EMAIL, DEMO_PASSWORD


def wait_for_page(url: str, server: subprocess.Popen, *, timeout: float = 120.0) -> int | None:
    """The HTTP status of the first answer from ``url``; None if the server exited or
    nothing answered within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:  # it answered, if not with the page
            return exc.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--started", type=float, default=None, help="Unix time make started")
    args = parser.parse_args(argv)
    started = args.started or time.time()
    url = f"http://127.0.0.1:{args.port}/"
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}"])
    try:
        status = wait_for_page(url, server)
        if status is None:
            print(f"make demo: the server did not answer at {url}", file=sys.stderr, flush=True)
            server.terminate()
            return server.wait() or 1
        time.sleep(0.2)  # let the server log that first request before the last lines
        elapsed = time.time() - started
        note = "" if status == 200 else f" (it answered {status})"
        print(
            f"\nmake demo: ready in {elapsed:.1f} s, from the start of make to the first "
            f"page at {url}{note}.\n"
            f"Log in as {DEMO_EMAIL} / {DEMO_PASSWORD} (Ctrl-C stops the server)",
            flush=True,
        )
        return server.wait()
    except KeyboardInterrupt:  # the terminal sent it to the server too
        return server.wait()


if __name__ == "__main__":
    sys.exit(main())
