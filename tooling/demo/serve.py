"""What ``make demo`` runs once the dependencies are in: ``python -m tooling.demo.serve
--port 8000 --started T``.

In one Python process (Django starts once): migrate, load the content, seed the demo users
(``seed_demo --small``), then serve with Django's development server (no auto-reload: a
demo, not a work session; ``make serve`` reloads). Once the first page answers it prints how
long ``make demo`` took from ``T`` (the Unix time make started, before installing) and the
demo login, last. Ctrl-C stops the server. Needs the runtime dependencies only.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import urllib.error
import urllib.request

from tooling.demo import DEMO_EMAIL, DEMO_PASSWORD


def first_answer(url: str, *, timeout: float = 120.0) -> int | None:
    """The HTTP status of the first answer from ``url``; None if nothing answered within
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:  # it answered, if not with the page
            return exc.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    return None


def announce(url: str, started: float) -> None:
    """Wait for the first page, then print the elapsed time and the login (the last lines)."""
    status = first_answer(url)
    if status is None:
        print(f"make demo: nothing answered at {url}", file=sys.stderr, flush=True)
        return
    time.sleep(0.3)  # the server logs that request once it has answered: let it go first
    note = "" if status == 200 else f" (it answered {status})"
    print(
        f"\nmake demo: ready in {time.time() - started:.1f} s, from the start of make to the "
        f"first page at {url}{note}.\n"
        f"Log in as {DEMO_EMAIL} / {DEMO_PASSWORD} (Ctrl-C stops the server)",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Prepare the demo database and serve it.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--started", type=float, default=None, help="Unix time make started")
    args = parser.parse_args(argv)
    started = args.started or time.time()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False)
    call_command("load_content")
    call_command("seed_demo", small=True)
    url = f"http://127.0.0.1:{args.port}/"
    threading.Thread(target=announce, args=(url, started), daemon=True).start()
    # The checks ran with migrate, in this process, a moment ago.
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, skip_checks=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
