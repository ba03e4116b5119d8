"""The FSRS memory model, fitted to one user's reviews: plain Python, no Django.

Built on ``fsrs_rs_python`` (the Rust optimiser Anki itself uses, with Python bindings; no
PyTorch). A history is one card's reviews in order, each ``(timestamp, day, rating)`` with
``day`` the user's local day number; FSRS only sees ratings and whole days between reviews.

The rules decided here:

- **Enough reviews.** An optimisation needs at least ``MIN_REVIEWS`` (400) reviews that the
  model can learn from (every review of a card after its first). That is Anki's own
  threshold since 24.04 (the fsrs4anki tutorial, "Step 3: Find optimal parameters": "If you
  have less than 1000 reviews (400 in Anki 24.04), please use the default parameters").
  Below it the optimiser in fsrs-rs (``src/training.rs``) falls back by itself: fewer than
  8 usable items give the defaults back, fewer than 64 fit only the four initial
  stabilities, so a smaller history could not give a personal model anyway.
- **Evaluate on what was not fitted.** The latest ``TEST_FRACTION`` of the reviews (by
  time) are held out; parameters are fitted on the reviews before the cut and both the
  parameters in use and the candidate are scored on the held-out ones (log loss and
  RMSE by bins, fsrs-rs's ``evaluate``). The candidate is better only if its log loss is
  strictly lower.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import fsrs_rs_python as rs
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(round(w, 4) for w in rs.DEFAULT_PARAMETERS)
MIN_REVIEWS = 400
TEST_FRACTION = 0.2
RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.97)

Review = tuple[float, int, int]  # (timestamp, local day number, rating 1-4)
Progress = Callable[[int, str], None]


class NotEnoughReviews(ValueError):
    def __init__(self, have: int):
        super().__init__(
            f"{have} reviews to learn from; the optimiser needs at least {MIN_REVIEWS}."
        )
        self.have = have


@dataclass(frozen=True)
class Score:
    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class FitResult:
    candidate: tuple[float, ...]
    current: Score
    fitted: Score
    train_reviews: int
    test_reviews: int

    @property
    def better(self) -> bool:
        return self.fitted.log_loss < self.current.log_loss


def usable_reviews(histories: Iterable[Sequence[Review]]) -> int:
    """Reviews the model can learn from: every review of a card after its first."""
    return sum(max(0, len(h) - 1) for h in histories)


def _items(history: Sequence[Review], *, labels_from: int = 1) -> list[rs.FSRSItem]:
    """One FSRS item per review from ``labels_from`` on: the card's reviews up to it."""
    reviews = []
    items = []
    previous_day = None
    for i, (_, day, rating) in enumerate(history):
        delta = 0 if previous_day is None else max(0, day - previous_day)
        previous_day = day
        reviews.append(rs.FSRSReview(int(rating), int(delta)))
        if i >= max(1, labels_from):
            items.append(rs.FSRSItem(list(reviews)))
    return items


def items_for(histories: Iterable[Sequence[Review]]) -> list[rs.FSRSItem]:
    return [item for h in histories for item in _items(h)]


def split(histories: Sequence[Sequence[Review]], fraction: float = TEST_FRACTION):
    """Train and test items, cut in time: the latest ``fraction`` of the labelled reviews
    are the test set (their items carry the whole history before them, as when they were
    predicted); the train set only sees reviews before the cut."""
    stamps = sorted(ts for h in histories for ts, _, _ in h[1:])
    if not stamps:
        return [], []
    cut = stamps[min(len(stamps) - 1, int(len(stamps) * (1 - fraction)))]
    train, test = [], []
    for history in histories:
        before = [r for r in history if r[0] < cut]
        train.extend(_items(before))
        first_test = next((i for i, r in enumerate(history) if r[0] >= cut), None)
        if first_test is not None:
            test.extend(_items(history, labels_from=first_test))
    return train, test


def score(parameters: Sequence[float], items: Sequence[rs.FSRSItem]) -> Score:
    evaluation = rs.FSRS(list(parameters)).evaluate(list(items))
    return Score(log_loss=float(evaluation.log_loss), rmse_bins=float(evaluation.rmse_bins))


def fit(
    histories: Sequence[Sequence[Review]],
    *,
    current: Sequence[float] = DEFAULT_PARAMETERS,
    progress: Progress | None = None,
) -> FitResult:
    """Fit parameters to ``histories`` and score them against ``current`` on held-out
    recent reviews. Raises ``NotEnoughReviews`` below ``MIN_REVIEWS``."""
    report = progress or (lambda percent, stage: None)
    have = usable_reviews(histories)
    if have < MIN_REVIEWS:
        raise NotEnoughReviews(have)
    report(30, f"Splitting {have:,} reviews: the latest {TEST_FRACTION:.0%} are held out")
    train, test = split(histories)
    report(40, f"Fitting parameters on {len(train):,} reviews")
    candidate = clamp(rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(train))
    report(80, f"Scoring both parameter sets on {len(test):,} held-out reviews")
    return FitResult(
        candidate=candidate,
        current=score(current, test),
        fitted=score(candidate, test),
        train_reviews=len(train),
        test_reviews=len(test),
    )


def fit_all(histories: Sequence[Sequence[Review]]) -> tuple[float, ...]:
    """Parameters fitted on every review (no hold-out): what the benchmark times."""
    return clamp(rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items_for(histories)))


def clamp(parameters: Sequence[float]) -> tuple[float, ...]:
    """Rounded to 4 places and kept within the bounds the scheduler (``fsrs``) accepts."""
    return tuple(
        min(max(round(float(w), 4), lo), hi)
        for w, lo, hi in zip(
            parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )


# --- The forgetting curve (FSRS-6) -----------------------------------------------------------
def _decay(parameters: Sequence[float]) -> tuple[float, float]:
    decay = -parameters[20] if len(parameters) > 20 else -0.5
    factor = 0.9 ** (1 / decay) - 1
    return decay, factor


def retrievability(elapsed_days: float, stability: float, parameters: Sequence[float]) -> float:
    """The probability of recall ``elapsed_days`` after the last review."""
    decay, factor = _decay(parameters)
    return (1 + factor * max(0.0, elapsed_days) / stability) ** decay


def interval_days(
    stability: float, retention: float, parameters: Sequence[float], maximum: int = 36500
) -> int:
    """Days until recall falls to ``retention`` (whole days, at least one), as ``fsrs``."""
    decay, factor = _decay(parameters)
    days = (stability / factor) * (retention ** (1 / decay) - 1)
    return int(min(max(round(days), 1), maximum))


def memory_states(parameters: Sequence[float], histories: Sequence[Sequence[Review]]):
    """Each history's (stability, difficulty) after its last review, under ``parameters``."""
    model = rs.FSRS(list(parameters))
    items = []
    for history in histories:
        reviews, previous = [], None
        for _, day, rating in history:
            reviews.append(rs.FSRSReview(int(rating), 0 if previous is None else day - previous))
            previous = day
        items.append(rs.FSRSItem(reviews))
    if not items:
        return []
    return [(s.stability, s.difficulty) for s in model.memory_state_batch(items)]


# --- Workload across desired retentions ------------------------------------------------------
@dataclass(frozen=True)
class WorkloadPoint:
    retention: float
    reviews_per_day: float
    minutes_per_day: float
    memorised: float


def workload(
    parameters: Sequence[float],
    *,
    deck_size: int,
    new_per_day: int,
    days: int = 90,
    seconds_per_review: float | None = None,
    retentions: Sequence[float] = RETENTIONS,
) -> list[WorkloadPoint]:
    """Simulated average daily reviews and minutes over ``days`` days for each retention
    (fsrs-rs's simulator, seeded, so the curve is the same on every read)."""
    config = rs.default_simulator_config()
    config.deck_size = max(1, deck_size)
    config.learn_span = days
    config.learn_limit = max(0, new_per_day)
    config.max_cost_perday = 1e9
    if seconds_per_review:
        config.state_rating_costs = [[seconds_per_review] * 4 for _ in range(3)]
    points = []
    for retention in retentions:
        result = rs.simulate(list(parameters), retention, config, 42)
        reviews = sum(result.review_cnt_per_day) / days
        minutes = sum(result.cost_per_day) / days / 60
        memorised = result.memorized_cnt_per_day[-1] if result.memorized_cnt_per_day else 0.0
        points.append(WorkloadPoint(retention, round(reviews, 1), round(minutes, 1), memorised))
    return points


def is_valid(parameters: Sequence[float]) -> bool:
    """21 finite numbers within the scheduler's bounds (anything else falls back to the
    defaults rather than break a review)."""
    bounds = zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=False)
    return len(parameters) == len(LOWER_BOUNDS_PARAMETERS) and all(
        math.isfinite(w) and lo <= w <= hi for w, lo, hi in bounds
    )
