"""Store the judged bank (``prep.judge.bank``) as catalogue rows: the ``judge`` loader of
``manage.py load_content``."""

from prep.lib.content import sync_catalogue

from . import bank
from .runner import display


def load() -> str:
    from .models import MLProblem

    rows = []
    for position, problem in enumerate(bank.problems()):
        examples = [
            {"show": case.show, "expected": display(case.expected)}
            for case in problem.spec.examples
        ]
        rows.append(
            (
                problem.slug,
                {
                    "kind": problem.kind,
                    "title": problem.title,
                    "difficulty": problem.difficulty,
                    "tags": list(problem.tags),
                    "roles": list(problem.roles),
                    "statement": problem.statement,
                    "starter": problem.starter,
                    "schema": problem.schema,
                    "examples": examples,
                    "hints": list(problem.hints),
                    "editorial": problem.editorial,
                    "sources": list(problem.sources),
                    "version": problem.version,
                    "position": position,
                    "retired_at": None,
                },
            )
        )
    synced = sync_catalogue(MLProblem, "slug", rows, retire=True)
    return (
        f"{len(rows)} judged problems ({synced.created} new, {synced.updated} updated, "
        f"{synced.retired} retired)"
    )
