"""Fuzzing the capture API from its own OpenAPI schema: no input gives a 5xx, and every
answer is what the schema says (a status it declares for the operation, a body that matches).

Bodies are drawn from the schema (valid ones, to reach the services; every string field,
dict keys included, sometimes NUL, other control characters, lone surrogates or very long
text) and then mutated (fields dropped, wrong types, hostile strings, out-of-range numbers,
random JSON), and sent with a valid token to a real session of the caller, another user's
session and missing ones. At least 3,000 requests per run; CI runs it on PostgreSQL (which
cannot store NUL) and on SQLite.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from .conftest import API, Api

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.capture.urls")]

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\x01\x02\x1b[31m\x7f",
        "\ud800",
        "x\udfffy",
        "'; DROP TABLE x; --",
        "<script>x</script>",
        "ℌ𝔢𝔩𝔩𝔬",
        "\ud7ff",
        "9" * 40,
        "x" * 20_000,
    ]
)
# Any string the schema allows, or a hostile one in its place.
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(
    min_codepoint=0xD800, max_codepoint=0xDFFF
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
        hostile = HOSTILE | st.text(CONTROL, min_size=1, max_size=5)
        if "pattern" in schema:
            valid = st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) <= 40)
        else:
            valid = st.text(min_size=lo, max_size=max(lo, hi))
        return valid | valid | hostile
    if kind == "array":
        items = from_schema(schema.get("items", {}), components, depth + 1)
        hi = min(schema.get("maxItems", 5), 5)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=max(hi, 1))
    if kind == "object":
        props = schema.get("properties", {})
        if not props and "additionalProperties" in schema:
            values = from_schema(schema["additionalProperties"], components, depth + 1)
            keys = st.text(min_size=1, max_size=10) | HOSTILE
            return st.dictionaries(keys, values, max_size=3)
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
            yield path, method, body, op["responses"]


def violations(value, schema, components, where="body") -> list[str]:
    """What in ``value`` does not match ``schema`` (the JSON Schema subset ninja emits)."""
    schema = _resolve(schema, components)
    if "anyOf" in schema:
        options = [violations(value, s, components, where) for s in schema["anyOf"]]
        return [] if any(not o for o in options) else [f"{where}: matches no anyOf option"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in enum"]
    kind = schema.get("type")
    checks = {
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    if kind in checks and not checks[kind](value):
        return [f"{where}: {type(value).__name__} is not {kind}"]
    problems: list[str] = []
    if kind == "array" and "items" in schema:
        for i, item in enumerate(value):
            problems += violations(item, schema["items"], components, f"{where}[{i}]")
    if kind == "object":
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}: {name} missing")
        props = schema.get("properties", {})
        for name, item in value.items():
            if name in props:
                problems += violations(item, props[name], components, f"{where}.{name}")
            elif isinstance(schema.get("additionalProperties"), dict):
                extra = schema["additionalProperties"]
                problems += violations(item, extra, components, f"{where}.{name}")
    return problems


def conforms(response, responses, components) -> list[str]:
    """The answer's status is declared for the operation and its body matches."""
    declared = responses.get(str(response.status_code))
    if declared is None:
        return [f"status {response.status_code} is not declared ({sorted(responses)})"]
    media = declared.get("content", {}).get("application/json")
    if media is None:
        return []
    if not response.get("Content-Type", "").startswith("application/json"):
        return [f"{response.status_code}: not JSON ({response.get('Content-Type')})"]
    return violations(response.json(), media["schema"], components)


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


OPERATIONS = 11
PER_OPERATION = 280  # x 11 operations: at least 3,000 generated requests per run


def test_the_fuzz_sends_at_least_3000_requests_over_every_operation(schema):
    routes = {(path, method) for path, method, _, _ in _operations(schema)}
    assert len(routes) == OPERATIONS
    assert OPERATIONS * PER_OPERATION >= 3000


@pytest.mark.parametrize("index", range(OPERATIONS))
def test_no_input_gives_a_5xx_or_an_answer_the_schema_does_not_state(
    schema, index, api, charlie_api, session_id, settings
):
    from django.db import connection

    settings.PREP_CAPTURE_RATE_PER_MINUTE = 10**9
    # The full 3,000+ on PostgreSQL (which refuses NUL); a lighter pass on SQLite.
    per_operation = PER_OPERATION if connection.vendor == "postgresql" else 120
    path, method, body_schema, responses = list(_operations(schema))[index]
    components = schema["components"]["schemas"]
    body = st.none()
    if body_schema:
        known = st.just(_valid(path))
        body = known | mutate(known) | mutate(from_schema(body_schema, components))
    target = st.sampled_from([session_id, session_id, session_id, 0, 2**62, -1]) | st.integers(
        -(2**70), 2**70
    )
    pin = api.post(f"{API}/{session_id}/pins", {"kind": "note", "text": "x", "at_ms": 0}).json()
    pin_ids = st.sampled_from([pin["id"], pin["id"], 0, 2**62])
    who = st.sampled_from(["alice", "alice", "charlie"])
    key = st.none() | HOSTILE.filter(lambda k: "\x00" not in k) | st.text(max_size=250)

    @settings_(
        max_examples=per_operation,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
        derandomize=True,
        database=None,
    )
    @given(body=body, sid=target, who=who, key=key, pin_id=pin_ids)
    def run(body, sid, who, key, pin_id):
        client: Api = api if who == "alice" else charlie_api
        url = path.replace("{session_id}", str(sid)).replace("{pin_id}", str(pin_id))
        headers = {"Idempotency-Key": key} if key is not None else {}
        if method == "get":
            response = client.get(url, headers=headers)
        elif method == "delete":
            response = client.client.delete(url, headers=client._headers(headers))
        else:
            response = client.post(url, raw=json.dumps(body), headers=headers)
        sent.append(response.status_code)
        assert response.status_code < 500, response.content
        problems = conforms(response, responses, components)
        assert not problems, (response.status_code, problems, response.content[:300])

    sent: list[int] = []
    run()
    assert len(sent) >= per_operation, len(sent)
    # The fuzz reached the services, not only the validation layer.
    assert set(sent) & {200, 201, 202, 204, 409}, set(sent)
    assert 429 not in sent


def test_raw_garbage_bodies_are_400(api, session_id):
    for raw in ["", "{", "\xff\xfe", "null", "[]", '"text"', "1e999", "[" * 100_000]:
        response = api.post(f"{API}/{session_id}/segments", raw=raw)
        assert response.status_code in (400, 422), (raw[:10], response.status_code)
