"""Loading the whole catalogue twice changes nothing the second time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from curriculum.models import Module
from prep.drills.models import Problem
from prep.flashcards.models import Card
from prep.mocks.models import Prompt

pytestmark = pytest.mark.django_db


def test_reloading_the_catalogue_is_idempotent():
    call_command("load_content", stdout=StringIO())
    counts = (Card.objects.count(), Problem.objects.count(), Prompt.objects.count())
    modules = Module.objects.count()
    out = StringIO()
    call_command("load_content", stdout=out)
    text = out.getvalue()
    assert "0 created, 0 updated" in text  # cards
    assert "0 new, 0 updated" in text  # problems and prompts
    assert "re-tagged" not in text
    assert "4 worked designs validated" in text
    assert "42 behavioural questions in 10 competencies, 12 company profiles validated" in text
    assert (Card.objects.count(), Problem.objects.count(), Prompt.objects.count()) == counts
    assert Module.objects.count() == modules


@pytest.mark.parametrize(
    ("topic", "index", "field", "expected"),
    [
        (
            "llm",
            0,
            "source",
            "tradeoffs/llm.yaml: entry 1 (rag-vs-finetune-knowledge): field 'source'",
        ),
        (
            "probability",
            2,
            "changes",
            "tradeoffs/probability.yaml: entry 3 (group-sequential-design): field 'changes'",
        ),
        (
            "classical",
            4,
            "answer",
            "tradeoffs/classical.yaml: entry 5 (svm-vs-logistic-regression): field 'answer'",
        ),
    ],
)
def test_a_new_card_without_a_field_names_file_entry_and_field(
    tmp_path, topic, index, field, expected
):
    import shutil

    import yaml

    from prep.flashcards import content

    shutil.copytree(content.CONTENT_DIR, tmp_path / "content")
    path = tmp_path / "content" / "tradeoffs" / f"{topic}.yaml"
    cards = yaml.safe_load(path.read_text())
    del cards[index][field]
    path.write_text(yaml.safe_dump(cards))
    with pytest.raises(ValueError) as info:
        content.parse_all(tmp_path / "content")
    assert expected in str(info.value)
