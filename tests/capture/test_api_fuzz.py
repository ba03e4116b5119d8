"""Fuzzing the capture API from its own OpenAPI schema: no input gives a 5xx.

Bodies are drawn from the schema (valid ones, to reach the services) and then mutated
(fields dropped, wrong types, hostile strings, out-of-range numbers, random JSON), and
sent with a valid token to a real session of the caller, another user's session and
missing ones. Every answer must be below 500 and, when an error, JSON with a detail.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import API, Api

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.capture.urls")]

HOSTILE = st.sampled_from(
    ["", " ", "\x00", "'; DROP TABLE x; --", "<script>x</script>", "ℌ𝔢𝔩𝔩𝔬", "\ud7ff", "9" * 40]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _resolve(schema, components):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def from_schema(schema, components, depth=0):
    """A hypothesis strategy for values valid under a (small subset of) JSON Schema."""
    schema = _resolve(schema, components)
    if "anyOf" in schema:
        return st.one_of([from_schema(s, components, depth) for s in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if kind == "integer":
        lo, hi = schema.get("minimum", -(2**40)), schema.get("maximum", 2**40)
        return st.integers(min_value=lo, max_value=hi) | st.sampled_from([lo, hi])
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        lo, hi = schema.get("minLength", 0), min(schema.get("maxLength", 50), 50)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) <= 40)
        return st.text(min_size=lo, max_size=max(lo, hi))
    if kind == "array":
        items = from_schema(schema.get("items", {}), components, depth + 1)
        hi = min(schema.get("maxItems", 5), 5)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=max(hi, 1))
    if kind == "object":
        props = schema.get("properties", {})
        if not props and "additionalProperties" in schema:
            values = from_schema(schema["additionalProperties"], components, depth + 1)
            return st.dictionaries(st.text(min_size=1, max_size=10), values, max_size=3)
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(v, components, depth + 1) for k, v in props.items() if k in required},
            optional={
                k: from_schema(v, components, depth + 1)
                for k, v in props.items()
                if k not in required
            },
        )
    return JSON


def mutate(strategy):
    """The schema's values, and the same values broken in the ways clients break them."""

    def drop_or_corrupt(value, data):
        if not isinstance(value, dict) or not value:
            return value
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["drop", "type", "hostile", "huge"]))
        value = dict(value)
        if action == "drop":
            value.pop(key)
        elif action == "type":
            value[key] = data.draw(JSON)
        elif action == "hostile":
            value[key] = data.draw(HOSTILE)
        else:
            value[key] = data.draw(st.sampled_from([2**63, -(2**63), 10**30, 1e308, -1]))
        return value

    @st.composite
    def mutated(draw):
        value = draw(strategy)
        if draw(st.booleans()):
            return value
        return drop_or_corrupt(value, type("D", (), {"draw": staticmethod(draw)}))

    return mutated() | JSON


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF="tests.capture.urls"):
        return Client().get("/api/v1/openapi.json").json()


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            yield path, method, body


VALID = {
    "/api/v1/capture/sessions": {"title": "T", "kind": "coding"},
    "segments": {
        "segments": [
            {"seq": 0, "speaker": "A", "text": "x", "start_ms": 0, "end_ms": 1, "final": True}
        ]
    },
    "pins": {"kind": "note", "text": "x", "at_ms": 0},
    "phases": {"phase": "framing", "at_ms": 0},
    "end": {},
}


def _valid(path):
    return VALID.get(path) or VALID.get(path.rsplit("/", 1)[-1])


def test_the_schema_lists_every_route(schema):
    routes = {(path, method) for path, method, _ in _operations(schema)}
    assert len(routes) == 11


def _check(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert "detail" in response.json()


@pytest.mark.parametrize("index", range(11))
def test_no_input_gives_a_5xx(schema, index, api, charlie_api, session_id):
    path, method, body_schema = list(_operations(schema))[index]
    components = schema["components"]["schemas"]
    body = st.none()
    if body_schema:
        known = st.just(_valid(path))
        body = known | mutate(known) | mutate(from_schema(body_schema, components))
    target = st.sampled_from([session_id, session_id, session_id, 0, 2**62, -1])
    pin = api.post(f"{API}/{session_id}/pins", {"kind": "note", "text": "x", "at_ms": 0}).json()
    pin_ids = st.sampled_from([pin["id"], pin["id"], 0, 2**62])
    who = st.sampled_from(["alice", "alice", "charlie"])

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(body=body, sid=target, who=who, pin_id=pin_ids)
    def run(body, sid, who, pin_id):
        client: Api = api if who == "alice" else charlie_api
        url = path.replace("{session_id}", str(sid)).replace("{pin_id}", str(pin_id))
        if method == "get":
            response = client.get(url)
        elif method == "delete":
            response = client.client.delete(url, headers=client._headers())
        else:
            response = client.post(url, raw=json.dumps(body))
        _check(response)
        statuses.add(response.status_code)

    statuses: set[int] = set()
    run()
    # The fuzz reached the services, not only the validation layer.
    assert statuses & {200, 201, 202, 204, 409}, statuses
    assert 429 not in statuses


def test_raw_garbage_bodies_are_400(api, session_id):
    for raw in ["", "{", "\xff\xfe", "null", "[]", '"text"', "1e999"]:
        response = api.post(f"{API}/{session_id}/segments", raw=raw)
        assert response.status_code in (400, 422), (raw, response.status_code)
