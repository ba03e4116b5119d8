"""Optimising, adopting only what is strictly better, versions and going back, rescheduling."""

import pytest

from prep.flashcards.memory import history_seed
from prep.flashcards.models import CardState
from prep.memory import fit, services, synthetic
from prep.memory.models import MemoryProfile, Optimisation, ParameterVersion
from prep.memory.parameters import parameters_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def optimise(django_capture_on_commit_callbacks):
    """Start a run; its task, enqueued on commit, runs eagerly. Returns the finished run."""

    def _optimise(user, kind="flashcards"):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.optimisation_start(user=user, kind=kind)
        run.refresh_from_db()
        return run

    return _optimise


def test_a_synthetic_learner_gets_better_parameters_and_can_adopt_them(alice, optimise):
    history_seed(alice, synthetic.histories(5000))
    assert parameters_for(alice, "flashcards") == fit.DEFAULT_PARAMETERS
    run = optimise(alice)
    assert run.status == "done" and run.progress == 100
    assert run.logloss_candidate < run.logloss_current
    assert run.better
    version = services.parameters_adopt(user=alice, run=run)
    assert version.number == 1
    assert parameters_for(alice, "flashcards") == tuple(run.candidate)
    assert version.metrics["logloss_after"] < version.metrics["logloss_before"]
    # Flashcards and re-solves keep separate parameters.
    assert parameters_for(alice, "drills") == fit.DEFAULT_PARAMETERS


def test_too_short_a_history_cannot_be_optimised_and_the_defaults_stay(alice):
    history_seed(alice, synthetic.histories(200))
    with pytest.raises(services.ParametersError, match="at least 400"):
        services.optimisation_start(user=alice, kind="flashcards")
    assert not Optimisation.objects.exists()
    assert parameters_for(alice, "flashcards") == fit.DEFAULT_PARAMETERS


def test_a_fit_that_is_not_better_is_not_adopted(alice, optimise):
    history_seed(alice, synthetic.histories(3000, seed=3))
    # The parameters in use already are the learner's true ones (version 1).
    MemoryProfile.objects.create(
        user=alice, kind="flashcards", parameters=list(synthetic.TRUE_PARAMETERS), version=1
    )
    run = optimise(alice)
    run.logloss_candidate = run.logloss_current + 0.01  # whatever the fit, say it lost
    run.save()
    with pytest.raises(services.ParametersError):
        services.parameters_adopt(user=alice, run=run)
    assert parameters_for(alice, "flashcards") == synthetic.TRUE_PARAMETERS
    assert not ParameterVersion.objects.exists()


def test_the_verdict_says_the_current_ones_stay_when_the_fit_is_worse(alice, monkeypatch, optimise):
    history_seed(alice, synthetic.histories(3000, seed=5))
    real_score = fit.score

    def score(parameters, items):
        result = real_score(parameters, items)
        if tuple(parameters) != fit.DEFAULT_PARAMETERS:  # the candidate
            return fit.Score(result.log_loss + 1, result.rmse_bins)
        return result

    monkeypatch.setattr(fit, "score", score)
    run = optimise(alice)
    assert run.status == "done" and not run.better
    assert "current parameters stay" in run.message
    assert parameters_for(alice, "flashcards") == fit.DEFAULT_PARAMETERS


def test_versions_can_be_gone_back_to(alice, optimise):
    history_seed(alice, synthetic.histories(5000))
    run = optimise(alice)
    services.parameters_adopt(user=alice, run=run)
    back = services.parameters_restore(user=alice, kind="flashcards", number=0)
    assert back.number == 2 and back.origin == "restored"
    assert parameters_for(alice, "flashcards") == fit.DEFAULT_PARAMETERS
    services.parameters_restore(user=alice, kind="flashcards", number=1)
    assert parameters_for(alice, "flashcards") == tuple(run.candidate)
    assert list(ParameterVersion.objects.filter(user=alice).values_list("number", flat=True)) == [
        3,
        2,
        1,
    ]


def test_one_run_at_a_time(alice):
    history_seed(alice, synthetic.histories(1000))
    # The test's transaction never commits, so the first run's task never starts: it stays queued.
    services.optimisation_start(user=alice, kind="flashcards")
    with pytest.raises(services.ParametersError, match="already running"):
        services.optimisation_start(user=alice, kind="flashcards")
    assert Optimisation.objects.get().status == "queued"


def test_rescheduling_previews_then_moves_cards(alice, optimise):
    history_seed(alice, synthetic.histories(3000))
    run = optimise(alice)
    services.parameters_adopt(user=alice, run=run)
    before = dict(CardState.objects.filter(user=alice).values_list("pk", "due"))
    preview = services.reschedule(user=alice, kind="flashcards", apply=False)
    assert preview.earlier + preview.later > 0
    assert dict(CardState.objects.filter(user=alice).values_list("pk", "due")) == before
    applied = services.reschedule(user=alice, kind="flashcards", apply=True)
    assert applied == preview
    again = services.reschedule(user=alice, kind="flashcards", apply=False)
    assert again.earlier == again.later == 0  # consistent: nothing left to move


def test_the_optimiser_is_offered_again_as_history_grows(alice):
    profile = MemoryProfile(user=alice, kind="flashcards", reviews_at_last_run=1000)
    assert not services.offered_again(profile, 1100)
    assert services.offered_again(profile, 1200)
    assert not services.offered_again(MemoryProfile(user=alice, kind="flashcards"), 399)


def test_nightly_runs_only_with_consent_and_adopts_only_what_is_better(
    alice, bob, django_capture_on_commit_callbacks
):
    history_seed(alice, synthetic.histories(4000))
    history_seed(bob, synthetic.histories(4000, seed=9))
    services.nightly_set(user=alice, kind="flashcards", nightly=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nightly_optimise_all() == 1
    run = Optimisation.objects.get()
    assert run.user == alice and run.nightly
    assert run.better and run.adopted is not None
    assert parameters_for(alice, "flashcards") == tuple(run.candidate)
    assert parameters_for(bob, "flashcards") == fit.DEFAULT_PARAMETERS
    # Nothing new since: not offered again.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nightly_optimise_all() == 0


def test_parameters_and_runs_are_exported_and_deleted_with_the_account(alice, optimise):
    from prep.accounts.data import account_delete, account_export

    history_seed(alice, synthetic.histories(1000))
    run = optimise(alice)
    services.parameters_adopt(user=alice, run=run)
    data = account_export(user=alice)["data"]
    assert data["memory.memoryprofile"][0]["parameters"] == run.candidate
    assert data["memory.parameterversion"][0]["number"] == 1
    assert data["memory.optimisation"][0]["logloss_candidate"] == run.logloss_candidate
    account_delete(user=alice)
    assert not MemoryProfile.objects.exists()
    assert not ParameterVersion.objects.exists()
    assert not Optimisation.objects.exists()
