"""Worked designs: readable at any time, all seven phases with their numbers."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from curriculum.models import Module
from prep.mocks import designs

pytestmark = pytest.mark.django_db


def test_four_designs_one_llm_each_through_the_seven_phases():
    found = designs.parse_designs()
    assert len(found) >= 4
    assert any("llm" in d.tags for d in found)
    for d in found:
        assert [p for p, _ in d.phase_list()] == list(designs.PHASES)
        assert {"Traffic", "Latency budget", "Storage", "Label delay"} <= {n for n, _ in d.numbers}


def test_a_design_reads_without_any_mock_and_links_from_reference_designs(alice_client):
    module = Module.objects.get(slug="mlsd-case-studies")
    assert module.url_name == "mocks:design_list"
    listing = alice_client.get(reverse("mocks:design_list")).content.decode()
    url = reverse("mocks:design_detail", args=["enterprise-rag-assistant"])
    assert url in listing
    page = alice_client.get(url).content.decode()
    for heading in ("1. Framing", "4. Model", "7. Iteration", "The numbers"):
        assert heading in page
    assert alice_client.get(reverse("mocks:design_detail", args=["nope"])).status_code == 404


def test_a_design_missing_a_phase_names_file_entry_and_field(tmp_path):
    data = yaml.safe_load((designs.DESIGNS_DIR / "designs.yaml").read_text())
    del data["designs"][1]["phases"]["monitoring"]
    (tmp_path / "designs.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError) as info:
        designs.parse_designs(tmp_path)
    assert "designs.yaml: design card-fraud-detection phases: field 'monitoring'" in str(info.value)


def test_a_prompt_with_a_rubric_note_for_an_unknown_dimension_is_refused(tmp_path):
    from prep.mocks import loader

    base = loader.CONTENT_DIR
    (tmp_path / "prompts").mkdir()
    (tmp_path / "rubrics.yaml").write_text((base / "rubrics.yaml").read_text())
    data = yaml.safe_load((base / "prompts" / "coding.yaml").read_text())
    data["prompts"][0]["rubric_notes"]["charm"] = "smiles"
    (tmp_path / "prompts" / "coding.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(
        ValueError, match=r"prompt lru-cache: field 'rubric_notes.charm': is not a coding"
    ):
        loader.parse(tmp_path)
