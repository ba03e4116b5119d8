"""The catalogue: prompts and rubrics as data, validated and loaded idempotently."""

from __future__ import annotations

import shutil

import pytest

from prep.mocks import loader
from prep.mocks.models import Prompt, Rubric, SoloMock
from tests.mocks import factories

pytestmark = pytest.mark.django_db

EXPECTED_DIMENSIONS = {
    "ml_system_design": [
        "framing",
        "metrics",
        "data",
        "model",
        "serving",
        "monitoring",
        "iteration",
    ],
    "coding": ["communication", "problem_solving", "technical_competency", "testing"],
    "behavioral": ["structure", "ownership", "impact", "reflection"],
    "research_discussion": ["depth", "critique", "connections", "communication"],
    "business_case": ["framing", "ml_fit", "metrics", "risks", "communication"],
}


def test_at_least_twelve_ml_system_design_prompts_each_with_notes_and_checklist():
    design = Prompt.objects.active().filter(kind="ml_system_design")
    assert design.count() >= 12
    for prompt in design:
        notes = prompt.interviewer_notes
        for section in ("probe", "follow_ups", "strong_answer"):
            assert notes[section], f"{prompt.slug} has no {section}"
            assert all(isinstance(item, str) and item.strip() for item in notes[section])
        assert len(prompt.checklist) >= 3, prompt.slug
        assert prompt.brief.strip()


def test_the_named_design_problems_are_in_the_bank():
    text = " ".join(
        f"{p.title} {p.brief}".lower()
        for p in Prompt.objects.active().filter(kind="ml_system_design")
    )
    for topic in ("recommend", "fraud", "search", "moderat", "click", "eta", "feed", "spam"):
        assert topic in text, topic


def test_every_other_kind_has_prompts_with_notes_and_checklist():
    for kind in ("coding", "behavioral", "research_discussion", "business_case"):
        prompts = Prompt.objects.active().filter(kind=kind)
        assert prompts.count() >= 3, kind
        for prompt in prompts:
            assert prompt.interviewer_notes["probe"] and prompt.checklist


def test_each_rubric_covers_exactly_its_kinds_dimensions_with_a_signal_per_score():
    rubrics = {r.kind: r for r in Rubric.objects.all()}
    assert set(rubrics) == set(EXPECTED_DIMENSIONS)
    for kind, expected in EXPECTED_DIMENSIONS.items():
        rubric = rubrics[kind]
        assert rubric.dimension_slugs == expected, kind
        for dim in rubric.dimensions:
            assert set(dim["signals"]) == {"1", "2", "3", "4"}, (kind, dim["slug"])
            assert all(text.strip() for text in dim["signals"].values())
            # Each step of the scale says something different.
            assert len(set(dim["signals"].values())) == 4


def test_the_design_timer_walks_the_seven_phases_in_order():
    phases = [p["slug"] for p in Rubric.objects.get(kind="ml_system_design").phases]
    assert phases == EXPECTED_DIMENSIONS["ml_system_design"]


def test_load_is_idempotent_and_keeps_user_state(alice):
    mock = factories.completed_mock(alice)
    before = Prompt.objects.count()
    summary = loader.load()
    assert "0 new, 0 updated, 0 retired" in summary
    assert Prompt.objects.count() == before
    assert SoloMock.objects.get(pk=mock.pk).is_completed


def _copy_content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(loader.CONTENT_DIR, target)
    return target


def test_a_prompt_removed_from_the_content_is_retired_not_deleted(tmp_path, alice):
    mock = factories.completed_mock(alice, kind="coding")
    content = _copy_content(tmp_path)
    (content / "prompts" / "coding.yaml").write_text(
        (content / "prompts" / "coding.yaml")
        .read_text()
        .replace(f"slug: {mock.prompt.slug}", "slug: renamed-problem")
    )
    summary = loader.load(content)
    assert "1 retired" in summary
    mock.prompt.refresh_from_db()
    assert mock.prompt.retired_at is not None
    assert SoloMock.objects.filter(pk=mock.pk).exists()
    assert not Prompt.objects.active().filter(slug=mock.prompt.slug).exists()
    loader.load()  # back as it was
    mock.prompt.refresh_from_db()
    assert mock.prompt.retired_at is None


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "rubrics.yaml",
            "      - slug: iteration\n",
            "      - slug: iterate\n",
            "rubrics.yaml: rubric ml_system_design: field 'dimensions': must be exactly",
        ),
        (
            "rubrics.yaml",
            "          4: Prioritises iterations",
            "          5: Prioritises iterations",
            "field 'dimension iteration.signals': must give a signal for each score 1-4",
        ),
        (
            "prompts/ml_system_design.yaml",
            "    checklist:\n      - States the objective",
            "    checklist_typo:\n      - States the objective",
            "ml_system_design.yaml: prompt video-recommendations: field 'checklist': must be a list",
        ),
        (
            "prompts/coding.yaml",
            "  - slug: merge-intervals\n",
            "  - slug: lru-cache\n",
            "prompt lru-cache: field 'slug': also used in coding.yaml",
        ),
    ],
)
def test_bad_content_is_refused_with_file_entry_and_field(tmp_path, file, old, new, message):
    content = _copy_content(tmp_path)
    path = content / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ValueError) as excinfo:
        loader.parse(content)
    assert message in str(excinfo.value)
