"""The optimiser, in plain Python: it recovers a learner's parameters from their reviews."""

import pytest

from prep.memory import fit, synthetic


def distance(a, b):
    return sum(abs(x - y) for x, y in zip(a[:4], b[:4], strict=True))


def test_parameters_fitted_to_a_synthetic_learner_predict_held_out_reviews_better():
    histories = synthetic.histories(6000)
    result = fit.fit(histories, current=fit.DEFAULT_PARAMETERS)
    assert result.test_reviews > 500
    assert result.fitted.log_loss < result.current.log_loss  # strictly
    assert result.better
    # The fitted initial stabilities are closer to the learner's than the defaults are.
    assert distance(result.candidate, synthetic.TRUE_PARAMETERS) < distance(
        fit.DEFAULT_PARAMETERS, synthetic.TRUE_PARAMETERS
    )


def test_a_short_history_is_refused_so_the_defaults_stay():
    histories = synthetic.histories(300)
    assert fit.usable_reviews(histories) < fit.MIN_REVIEWS
    with pytest.raises(fit.NotEnoughReviews):
        fit.fit(histories)


def test_the_true_parameters_are_not_beaten_so_they_stay():
    # A learner already scheduled with their own true parameters: a refit on the older
    # reviews cannot predict the held-out ones strictly better than the truth... or if it
    # does by chance, the verdict still follows the strict rule.
    histories = synthetic.histories(3000, seed=11)
    result = fit.fit(histories, current=synthetic.TRUE_PARAMETERS)
    assert result.better == (result.fitted.log_loss < result.current.log_loss)


def test_the_split_holds_out_the_latest_reviews():
    histories = synthetic.histories(2000)
    train, test = fit.split(histories)
    assert len(test) == pytest.approx(0.2 * fit.usable_reviews(histories), rel=0.1)
    assert len(train) + len(test) <= fit.usable_reviews(histories)


def test_forgetting_curve_matches_fsrs():
    import datetime as dt

    import fsrs

    scheduler = fsrs.Scheduler(parameters=synthetic.TRUE_PARAMETERS, enable_fuzzing=False)
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State.Review,
        stability=12.0,
        difficulty=5.0,
        last_review=now - dt.timedelta(days=9),
        due=now,
    )
    assert fit.retrievability(9, 12.0, synthetic.TRUE_PARAMETERS) == pytest.approx(
        scheduler.get_card_retrievability(card, now), abs=1e-6
    )
    assert fit.interval_days(12.0, 0.9, synthetic.TRUE_PARAMETERS) == 12


def test_stored_parameters_the_scheduler_would_refuse_fall_back_to_the_defaults():
    from prep.memory.parameters import as_parameters

    assert as_parameters(None) == fit.DEFAULT_PARAMETERS
    assert as_parameters([1000.0] * 21) == fit.DEFAULT_PARAMETERS  # out of bounds
    assert as_parameters([1.0] * 5) == fit.DEFAULT_PARAMETERS  # wrong length
    assert as_parameters(list(synthetic.TRUE_PARAMETERS)) == synthetic.TRUE_PARAMETERS
    assert as_parameters("[0.5, 1]") == fit.DEFAULT_PARAMETERS  # JSON text, as raw SQL gives it
