"""The behavioural bank and company profiles: valid, matched by name or alias."""

from __future__ import annotations

import pytest
import yaml

from prep.behavioral import content


def test_the_bank_has_forty_questions_grouped_by_competency_with_ml_ones():
    bank = content.parse_questions()
    assert len(bank.questions) >= 40
    groups = dict((c.slug, qs) for c, qs in bank.by_competency())
    assert all(groups.values()), "every competency has questions"
    ml = [q.text for q in bank.questions if q.ml]
    assert any("failed in production" in q for q in ml)
    assert any("metric you disagreed" in q for q in ml)
    assert any("under uncertainty" in q for q in ml)
    assert any("research direction you abandoned" in q for q in ml)


def test_twelve_profiles_each_with_https_sources_and_a_date():
    companies = content.parse_companies()
    assert len(companies) >= 12
    names = {c.name for c in companies}
    for required in ("Google DeepMind", "Meta", "OpenAI", "Anthropic", "Amazon", "Microsoft"):
        assert required in names
    assert {"Apple", "Netflix"} <= names
    assert any(c.kind == "product" for c in companies)
    for c in companies:
        assert c.sources and all(url.startswith("https://") for _, url in c.sources)
        assert c.as_of.year >= 2026
        # A profile without rounds says so rather than guessing.
        assert c.rounds or c.unverified


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Meta", "meta"),
        ("facebook", "meta"),
        ("  DEEPMIND ", "google-deepmind"),
        ("Google DeepMind", "google-deepmind"),
        ("google-deepmind", "google-deepmind"),
        ("AWS", "amazon"),
        ("Open AI", "openai"),
    ],
)
def test_target_companies_match_by_name_or_alias_case_insensitively(typed, slug):
    [(name, company)] = content.match_companies([typed])
    assert name == typed
    assert company is not None and company.slug == slug


def test_an_unknown_company_has_no_profile_yet():
    assert content.match_companies(["Acme Robotics"]) == [("Acme Robotics", None)]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["companies"][0].pop("as_of"), "company google: field 'as_of'"),
        (
            lambda d: d["companies"][1].update(sources=[]),
            "company google-deepmind: field 'sources'",
        ),
        (
            lambda d: d["companies"][0]["sources"][0].update(url="http://x"),
            "company google: field 'sources[0].url'",
        ),
        (lambda d: d["companies"][2].update(aliases=["google"]), "company meta: field 'aliases'"),
    ],
)
def test_bad_profiles_name_file_entry_and_field(tmp_path, mutate, expected):
    data = yaml.safe_load(content.COMPANIES_FILE.read_text())
    mutate(data)
    path = tmp_path / "companies.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError) as info:
        content.parse_companies(path)
    assert str(info.value).startswith("companies.yaml: ")
    assert expected in str(info.value)


def test_a_question_with_an_unknown_competency_names_file_entry_and_field(tmp_path):
    data = yaml.safe_load(content.QUESTIONS_FILE.read_text())
    data["questions"][3]["competency"] = "charisma"
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError, match=r"questions.yaml: question #4: field 'competency'"):
        content.parse_questions(path)
