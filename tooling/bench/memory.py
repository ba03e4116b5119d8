"""FSRS optimiser benchmark: ``python -m tooling.bench.memory`` prints one figure a line.

On a throw-away test database at BENCH_DATABASE_URL it stores a simulated learner's review
history (``synthetic.histories``: known parameters that differ from the defaults) as one
user's flashcard review logs, then times what an optimisation run does — read the reviews
back and fit the parameters — for 10,000 and 100,000 reviews. It then scores the default
and the fitted parameters on the latest 20% of the 100,000 (held out from the fit): log
loss in nats, lower is better.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

SIZES = (10_000, 100_000)


def main() -> int:
    from tooling.bench.env import django_for_bench

    django_for_bench()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return _run(connection.vendor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(vendor: str) -> int:
    from prep.flashcards.memory import SOURCE, history_seed
    from prep.memory import fit, synthetic
    from tests.factories import UserFactory

    for n in SIZES:
        user = UserFactory(email=f"bench-{n}@example.com")
        histories = synthetic.histories(n)
        history_seed(user, histories)
        t = time.perf_counter()
        loaded = SOURCE.histories(user, tz=dt.UTC)
        fit.fit_all(loaded)
        seconds = time.perf_counter() - t
        print(f"bench: fsrs_optimise_s = {seconds:.2f} s ({vendor}, in-process, {n:,} reviews)")
    result = fit.fit(histories, current=fit.DEFAULT_PARAMETERS)
    size = f"held-out latest 20% of {SIZES[-1]:,} simulated reviews"
    print(
        f"bench: fsrs_logloss_default = {result.current.log_loss:.4f} nats ({vendor}, in-process, {size})"
    )
    print(
        f"bench: fsrs_logloss_optimised = {result.fitted.log_loss:.4f} nats ({vendor}, in-process, {size})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
