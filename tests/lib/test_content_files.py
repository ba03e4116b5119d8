"""The content-file helpers every loader shares (prep.lib.content): one error format."""

import pytest

from prep.lib.content import read_yaml_mapping, text_field


def test_a_file_whose_top_level_is_not_a_mapping_is_refused_by_name(tmp_path):
    path = tmp_path / "questions.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(
        ValueError, match=r"^questions\.yaml: \(file\): field '\(root\)': must be a mapping$"
    ):
        read_yaml_mapping(path)


def test_broken_yaml_is_refused_by_name(tmp_path):
    path = tmp_path / "rubrics.yaml"
    path.write_text("rubrics: [unclosed\n")
    with pytest.raises(ValueError, match=r"^rubrics\.yaml: not valid YAML"):
        read_yaml_mapping(path)


def test_a_text_field_names_file_entry_and_field(tmp_path):
    path = tmp_path / "companies.yaml"
    raw = {"name": "  Acme  ", "summary": "   ", "title": 3}
    assert text_field(path, "company acme", raw, "name") == "Acme"
    assert text_field(path, "company acme", raw, "unverified", required=False) == ""
    for key in ("summary", "title", "unverified"):
        with pytest.raises(ValueError) as info:
            text_field(path, "company acme", raw, key)
        assert str(info.value) == (
            f"companies.yaml: company acme: field '{key}': must be non-empty text"
        )
