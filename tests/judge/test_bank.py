"""The whole bank in the real sandbox: every reference is accepted and every wrong
solution is rejected by the hidden tests alone (so the hidden tests can fail)."""

import dataclasses

import pytest

from prep.judge import bank
from prep.judge.runner import judge

pytestmark = pytest.mark.usefixtures("real_sandbox")
PROBLEMS = bank.problems()


def test_the_bank_is_loaded_from_content():
    kinds = {p.kind for p in PROBLEMS}
    assert kinds == {"python", "sql"}
    assert all(p.spec.tests and p.spec.examples for p in PROBLEMS)


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.slug for p in PROBLEMS])
def test_reference_accepted_and_wrong_rejected_by_hidden_tests(problem):
    reference = judge(code=problem.reference, spec=problem.spec)
    assert reference.verdict == "accepted", (reference.message, reference.error)
    hidden_only = dataclasses.replace(problem.spec, examples=())
    wrong = judge(code=problem.wrong, spec=hidden_only)
    assert wrong.verdict != "accepted", problem.wrong_why


@pytest.mark.parametrize("problem", PROBLEMS[:3], ids=[p.slug for p in PROBLEMS[:3]])
def test_the_starter_code_is_not_accepted(problem):
    assert judge(code=problem.starter, spec=problem.spec).verdict != "accepted"
