"""The real curriculum content, and the loader's validation messages."""

from __future__ import annotations

import copy
import graphlib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curriculum.engine.content import (
    CONTENT_DIR,
    CONTENT_FILES,
    ContentError,
    EventsRule,
    load_content,
    parse_content,
)
from curriculum.roles import AREAS, PROGRESS_KINDS, ROLE_SLUGS, ROLES_BY_SLUG

_PRISTINE = {
    name: yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8")) for name in CONTENT_FILES
}


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def documents():
    """The real content files, parsed, as a fresh copy each test may break."""
    return copy.deepcopy(_PRISTINE)


def _module(documents, slug):
    for raw in documents["modules.yaml"]["modules"]:
        if raw["slug"] == slug:
            return raw
    raise KeyError(slug)


def _template(documents, role):
    for raw in documents["templates.yaml"]["templates"]:
        if raw["role"] == role:
            return raw
    raise KeyError(role)


def _errors(documents) -> str:
    with pytest.raises(ContentError) as info:
        parse_content(documents)
    return str(info.value)


# --------------------------------------------------------------------------- real content


def test_module_slugs_are_unique(documents):
    slugs = [raw["slug"] for raw in documents["modules.yaml"]["modules"]]
    assert len(slugs) == len(set(slugs))


def test_every_prerequisite_exists_and_there_are_no_cycles(content):
    slugs = {m.slug for m in content.modules}
    sorter = graphlib.TopologicalSorter()
    for module in content.modules:
        for prereq in module.prerequisites:
            assert prereq in slugs, (module.slug, prereq)
        sorter.add(module.slug, *module.prerequisites)
    order = list(sorter.static_order())  # raises graphlib.CycleError on a cycle
    assert set(order) == slugs


def test_roles_match_the_contract_and_cover_their_areas(content):
    assert tuple(r.slug for r in content.roles) == ROLE_SLUGS
    for role in content.roles:
        assert role.name == ROLES_BY_SLUG[role.slug].name
        assert role.rounds
        template = content.template(role.slug)
        covered = {content.module(s).area for s in template.modules}
        assert set(role.areas) <= covered, role.slug
        review_areas = {content.module(s).area for s in template.review}
        assert set(role.areas) <= review_areas, role.slug


def test_templates_follow_the_four_theme_weeks(content):
    assert [t.week for t in content.themes] == [1, 2, 3, 4]
    for template in content.templates:
        assert [w.week for w in template.weeks] == [1, 2, 3, 4]
        position = {slug: i for i, slug in enumerate(template.modules)}
        for week in template.weeks:
            assert week.modules, (template.role, week.week)
            for slug in week.modules:
                module = content.module(slug)
                assert module.week == week.week
                assert template.role in module.roles
                for prereq in module.prerequisites:
                    assert position[prereq] < position[slug]
        first_week_areas = {content.module(s).area for s in template.weeks[0].modules}
        assert "coding" in first_week_areas


def test_week_three_holds_two_peer_design_mocks_after_solo_mocks(content):
    for template in content.templates:
        week3 = template.weeks[2].modules
        peer = []
        solo = []
        for slug in week3:
            rule = content.module(slug).completion
            if isinstance(rule, EventsRule) and rule.event == "mock_completed":
                tags = set(rule.tags)
                if {"ml_system_design", "peer"} <= tags:
                    peer.append((slug, rule.count))
                elif {"ml_system_design", "solo"} <= tags:
                    solo.append(slug)
        # Two plan items, completing at the first and the second peer mock respectively.
        assert sorted(count for _, count in peer) == [1, 2], template.role
        assert solo, template.role
        last_solo = max(week3.index(s) for s in solo)
        assert all(week3.index(s) > last_solo for s, _ in peer), template.role
        # Both peer mocks are among the last modules to be dropped.
        assert {s for s, _ in peer} <= set(template.protected)


def test_role_specific_modules(content):
    def slugs(role):
        return set(content.template(role).modules)

    papers = {s for s in slugs("research") if s.startswith("paper-deep-dive")}
    assert 2 <= len(papers) <= 3
    assert any(content.module(s).area == "business_case" for s in slugs("applied"))
    for role in ("research", "mle"):
        assert all(content.module(s).area != "business_case" for s in slugs(role))
    for role in ("mle", "applied"):
        assert not any(s.startswith("paper-") for s in slugs(role))


def test_modules_are_complete_and_use_known_vocabulary(content):
    for m in content.modules:
        assert m.area in AREAS
        assert 10 <= m.minutes <= 180, m.slug
        assert ":" in m.url_name
        assert len(m.description) > 40, m.slug
        if isinstance(m.completion, EventsRule):
            assert m.completion.event in PROGRESS_KINDS
            assert m.completion.count >= 1
        else:
            assert m.completion.items


def test_version_and_checksum_are_stable(content, documents):
    again = parse_content(documents)
    assert again.version == content.version == 1
    assert again.checksum == content.checksum
    assert again.modules == content.modules
    changed = copy.deepcopy(documents)
    _module(changed, "coding-trees")["minutes"] = 80
    assert parse_content(changed).checksum != content.checksum


def test_load_content_reads_a_directory(tmp_path: Path, documents):
    for name, doc in documents.items():
        (tmp_path / name).write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert load_content(tmp_path).checksum == load_content().checksum


# --------------------------------------------------------------------------- validation


def test_unknown_area_names_file_entry_and_field(documents):
    _module(documents, "coding-two-pointers")["area"] = "codng"
    assert (
        "modules.yaml: module 'coding-two-pointers': field 'area': unknown area 'codng'"
        in _errors(documents)
    )


def test_duplicate_slug(documents):
    modules = documents["modules.yaml"]["modules"]
    modules.append(copy.deepcopy(modules[0]))
    assert "modules.yaml: module 'coding-arrays-hashing': field 'slug': duplicate slug" in _errors(
        documents
    )


def test_unknown_prerequisite(documents):
    _module(documents, "coding-trees")["prerequisites"] = ["coding-recursion"]
    assert (
        "modules.yaml: module 'coding-trees': field 'prerequisites': "
        "unknown module 'coding-recursion'" in _errors(documents)
    )


def test_prerequisite_cycle(documents):
    _module(documents, "coding-arrays-hashing")["prerequisites"] = ["coding-two-pointers"]
    message = _errors(documents)
    assert "field 'prerequisites': cycle" in message
    assert "coding-arrays-hashing" in message and "coding-two-pointers" in message


def test_minutes_must_be_positive(documents):
    _module(documents, "coding-heap")["minutes"] = 0
    _module(documents, "coding-stack")["minutes"] = "an hour"
    message = _errors(documents)
    assert "modules.yaml: module 'coding-heap': field 'minutes': expected a positive integer" in (
        message
    )
    assert "module 'coding-stack': field 'minutes'" in message


def test_unknown_progress_kind_and_role_and_kind(documents):
    raw = _module(documents, "coding-graphs")
    raw["completion"]["event"] = "drill_done"
    raw["roles"] = ["mle", "data_scientist"]
    raw["kind"] = "lecture"
    message = _errors(documents)
    assert "module 'coding-graphs': field 'completion.event': unknown progress kind" in message
    assert "module 'coding-graphs': field 'roles': unknown role 'data_scientist'" in message
    assert "module 'coding-graphs': field 'kind': unknown kind 'lecture'" in message


def test_missing_slug_names_the_index(documents):
    del documents["modules.yaml"]["modules"][3]["slug"]
    assert "modules.yaml: module at index 3: field 'slug': missing" in _errors(documents)


def test_bad_url_name_and_completion_type(documents):
    raw = _module(documents, "mlsd-framework")
    raw["url_name"] = "/mocks/"
    raw["completion"] = {"type": "vibes"}
    message = _errors(documents)
    assert "module 'mlsd-framework': field 'url_name': expected 'namespace:name'" in message
    assert "module 'mlsd-framework': field 'completion.type'" in message


def test_template_must_reference_modules_for_its_role(documents):
    template = _template(documents, "mle")
    template["weeks"][3].append("business-case-framework")
    template["weeks"][4].append("no-such-module")
    message = _errors(documents)
    assert (
        "templates.yaml: template 'mle': field 'weeks.3': module 'business-case-framework' "
        "does not list role 'mle'" in message
    )
    assert "template 'mle': field 'weeks.4': unknown module 'no-such-module'" in message


def test_template_prerequisite_order_and_protection(documents):
    template = _template(documents, "applied")
    week1 = template["weeks"][1]
    week1.remove("coding-arrays-hashing")
    week1.append("coding-arrays-hashing")
    template["protected"].remove("mlsd-framework")
    message = _errors(documents)
    assert (
        "template 'applied': field 'weeks': module 'coding-two-pointers' is listed before its "
        "prerequisite 'coding-arrays-hashing'" in message
    )
    assert (
        "template 'applied': field 'protected': 'mlsd-peer-mock-1' is protected but its "
        "prerequisite 'mlsd-framework' is not" in message
    )


def test_template_area_coverage(documents):
    template = _template(documents, "applied")
    for week in template["weeks"].values():
        for slug in ("business-case-framework", "business-case-solo-mock"):
            if slug in week:
                week.remove(slug)
        if "business-case-product-teardown" in week:
            week.remove("business-case-product-teardown")
    assert (
        "template 'applied': field 'weeks': no module covers the role's area 'business_case'"
        in (_errors(documents))
    )


def test_version_mismatch_and_role_list(documents):
    documents["modules.yaml"]["version"] = 2
    documents["roles.yaml"]["roles"] = documents["roles.yaml"]["roles"][:2]
    message = _errors(documents)
    assert "field 'version': versions differ between files" in message
    assert "roles.yaml: field 'roles': role 'applied' missing" in message


def test_all_errors_are_reported_together(documents):
    _module(documents, "coding-heap")["area"] = "heaps"
    _module(documents, "coding-stack")["week"] = 5
    with pytest.raises(ContentError) as info:
        parse_content(documents)
    assert len(info.value.errors) >= 2
    assert any("coding-heap" in e for e in info.value.errors)
    assert any("module 'coding-stack': field 'week'" in e for e in info.value.errors)


def test_invalid_yaml_names_the_file(tmp_path: Path, documents):
    for name, doc in documents.items():
        (tmp_path / name).write_text(yaml.safe_dump(doc), encoding="utf-8")
    (tmp_path / "modules.yaml").write_text("modules: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"modules\.yaml: invalid YAML at line"):
        load_content(tmp_path)


def test_missing_file(tmp_path: Path, documents):
    (tmp_path / "roles.yaml").write_text(yaml.safe_dump(documents["roles.yaml"]), "utf-8")
    with pytest.raises(ContentError, match=r"modules\.yaml: file missing"):
        load_content(tmp_path)


# --------------------------------------------------------------------------- robustness

_JUNK = [None, "", "x", -1, 0, 3, True, [], ["x"], [1], {}, {"a": 1}, "ns:name"]
_MODULE_FIELDS = [
    "slug",
    "title",
    "description",
    "kind",
    "area",
    "minutes",
    "roles",
    "week",
    "priority",
    "prerequisites",
    "url_name",
    "url_query",
    "completion",
]


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(
            st.sampled_from(["modules.yaml", "templates.yaml", "roles.yaml"]),
            st.integers(0, 60),
            st.sampled_from(_MODULE_FIELDS + ["role", "weeks", "protected", "review", "areas"]),
            st.one_of(st.sampled_from(_JUNK), st.just("<delete>")),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_broken_content_raises_content_error_never_a_crash(mutations):
    docs = copy.deepcopy(_PRISTINE)
    key = {"modules.yaml": "modules", "templates.yaml": "templates", "roles.yaml": "roles"}
    for file, index, fld, value in mutations:
        entries = docs[file][key[file]]
        entry = entries[index % len(entries)]
        if value == "<delete>":
            entry.pop(fld, None)
        else:
            entry[fld] = value
    try:
        parse_content(docs)
    except ContentError as exc:
        assert all(e.split(":", 1)[0] in CONTENT_FILES for e in exc.errors), exc.errors
