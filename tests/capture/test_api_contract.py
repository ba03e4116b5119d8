"""The API's contract at its edge (prep.lib.api.JsonAPI): one test per refusal that used to
be HTML, a 500, a silent coercion or a schema that said something else."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from prep.capture.api import MAX_BODY_BYTES, api
from prep.capture.models import CaptureSession
from prep.transcripts.models import Pin, Segment

from .conftest import API, seg

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.capture.urls")]

UNSTORABLE = ["a\x00b", "\x00", "x\ud800y", "\udfff"]


def _is_json(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


@pytest.mark.parametrize("text", UNSTORABLE)
def test_unstorable_text_is_a_422_naming_the_field_on_every_text_field(api, session_id, text):
    """NUL answered an HTML 500 on PostgreSQL (it cannot store NUL in text)."""
    cases = [
        (API, {"title": text, "kind": "coding"}, ["body", "payload", "title"]),
        (API, {"title": "T", "kind": "coding", "question": text}, ["body", "payload", "question"]),
        (
            API,
            {"title": "T", "kind": "coding", "speakers": {text: "me"}},
            ["body", "payload", "speakers"],
        ),
        (
            f"{API}/{session_id}/segments",
            {"segments": [seg(0, text)]},
            ["body", "payload", "segments", 0, "text"],
        ),
        (
            f"{API}/{session_id}/segments",
            {"segments": [seg(0, speaker=text)]},
            ["body", "payload", "segments", 0, "speaker"],
        ),
        (
            f"{API}/{session_id}/pins",
            {"kind": "note", "text": text, "at_ms": 0},
            ["body", "payload", "text"],
        ),
        (f"{API}/{session_id}/phases", {"phase": text, "at_ms": 0}, ["body", "payload", "phase"]),
    ]
    for path, body, loc in cases:
        response = api.post(path, body)
        assert response.status_code == 422, (path, response.content)
        assert loc in [e["loc"] for e in _is_json(response)["detail"]], response.json()
    assert CaptureSession.objects.count() == 1  # the fixture's
    assert not Segment.objects.exists() and not Pin.objects.exists()


@pytest.mark.postgres
def test_unstorable_text_is_a_422_on_postgresql_too(api, session_id):
    response = api.segments(session_id, [seg(0, "NUL\x00here")])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "segments", 0, "text"]


def test_the_schema_states_the_422_shape_on_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    assert components["ValidationErrorOut"]["properties"]["detail"]["type"] == "array"
    item = components["ValidationItem"]
    assert set(item["required"]) == {"type", "loc", "msg"}
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 7
    for op in operations:
        ref = op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ValidationErrorOut"), op["operationId"]
        for status in ("400", "401", "404", "405", "413", "415", "429", "500"):
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), (op["operationId"], status)


def test_the_schema_states_the_rules_the_server_enforces(client):
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    session = components["SessionIn"]
    assert session["not"] == {"required": ["booking", "solo_mock"]}
    assert "excludes `solo_mock`" in json.dumps(session["properties"]["booking"])
    assert "`me`/`other` without" in json.dumps(session["properties"]["speakers"])
    assert "start_ms" in components["SegmentSchema"]["properties"]["end_ms"]["description"]
    assert "rubric" in components["PhaseIn"]["properties"]["phase"]["description"]


@pytest.mark.parametrize("debug", [False, True])
def test_every_error_under_the_api_is_json(api, session_id, settings, debug):
    settings.DEBUG = debug
    headers = {"Authorization": f"Bearer {api.token}"}
    segments = f"{API}/{session_id}/segments"
    for method in ("delete", "options", "put"):  # GET reads the segments back
        response = getattr(api.client, method)(segments, headers=headers)
        assert response.status_code == 405, (method, response.status_code)
        assert "POST" in response["Allow"] and "GET" in response["Allow"]
        assert "not allowed" in _is_json(response)["detail"]
    for path in ("/api/v1/nope", f"{API}/", "/api/v1/", f"{API}/{session_id}/segments/"):
        response = api.post(path, {"title": "T", "kind": "coding"})
        assert response.status_code == 404, path
        assert isinstance(_is_json(response)["detail"], str)


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_exception_is_a_json_500(api, session_id, settings, monkeypatch, debug):
    settings.DEBUG = debug

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("prep.capture.api.selectors.session_get", broken)
    api.client.raise_request_exception = False
    response = api.get(f"{API}/{session_id}")
    assert response.status_code == 500
    assert _is_json(response) == {"detail": "Internal server error."}


@pytest.mark.parametrize(
    ("field", "value"),
    [("seq", "102"), ("seq", True), ("seq", 1.0), ("final", "true"), ("final", 1), ("text", 5)],
)
def test_types_are_strict(api, session_id, field, value):
    response = api.segments(session_id, [{**seg(0), field: value}])
    assert response.status_code == 422, response.content
    assert ["body", "payload", "segments", 0, field] in [
        e["loc"] for e in response.json()["detail"]
    ]
    assert api.create(booking="3").status_code == 422


def test_an_empty_body_is_a_400_and_a_non_json_body_a_415(api, session_id):
    response = api.post(API, raw="")
    assert response.status_code == 400 and "empty" in _is_json(response)["detail"]
    response = api.client.post(
        API, data="title=T", content_type="text/plain", headers=api._headers()
    )
    assert response.status_code == 415, response.content
    # An operation without a body still takes an empty one.
    assert api.post(f"{API}/{session_id}/end", raw="").status_code == 202


def _chunked_request(body: bytes):
    """What gunicorn hands Django for `Transfer-Encoding: chunked`: no CONTENT_LENGTH, the
    de-chunked bytes in wsgi.input (Django then reads nothing)."""
    request = RequestFactory().generic("POST", API, HTTP_TRANSFER_ENCODING="chunked")
    request.META.pop("CONTENT_LENGTH", None)
    request.META["CONTENT_TYPE"] = "application/json"
    request.META["wsgi.input"] = io.BytesIO(body)
    request.environ = request.META
    return request


def test_a_chunked_body_is_read_and_held_to_the_limit():
    big = _chunked_request(b'{"title": "' + b"x" * (10 * MAX_BODY_BYTES) + b'"}')
    assert big.body == b""  # what Django alone would see: the body dropped
    response = api._guard(big)
    assert response.status_code == 413
    assert "larger than" in json.loads(response.content)["detail"]
    small = _chunked_request(b'{"title": "T", "kind": "coding"}')
    assert api._guard(small) is None
    assert json.loads(small.body) == {"title": "T", "kind": "coding"}


def test_a_body_over_the_limit_is_a_413_before_authentication(client):
    response = client.post(API, data=b"x" * (MAX_BODY_BYTES + 1), content_type="application/json")
    assert response.status_code == 413 and "larger" in _is_json(response)["detail"]


def test_a_replayed_create_answers_200_and_says_so(api):
    first = api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "r"})
    again = api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "r"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert again.json() == first.json()


def test_answers_carry_rate_limit_headers(api, session_id, settings):
    settings.PREP_CAPTURE_RATE_PER_MINUTE = 4
    remaining = []
    for _ in range(5):
        response = api.get(f"{API}/{session_id}")
        assert response["RateLimit-Limit"] == "4"
        assert 1 <= int(response["RateLimit-Reset"]) <= 60
        remaining.append(int(response["RateLimit-Remaining"]))
    assert response.status_code == 429 and "Retry-After" in response
    assert remaining[-1] == 0 and remaining == sorted(remaining, reverse=True)


def _settings_in_a_fresh_process(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'db': s.DATABASES['default'], "
        "'rate': s.PREP_CAPTURE_RATE_PER_MINUTE}, default=str))"
    )
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PREP_CAPTURE_RATE"}
    }
    environ.update(DJANGO_SETTINGS_MODULE="prep.settings", SECRET_KEY="k", **env)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_the_rate_limit_is_a_setting_from_the_environment():
    assert _settings_in_a_fresh_process(PREP_CAPTURE_RATE_PER_MINUTE="7")["rate"] == 7
    assert _settings_in_a_fresh_process()["rate"] == 600


def test_a_sqlite_database_url_gets_the_embedded_defaults_sqlite_settings(tmp_path):
    embedded = _settings_in_a_fresh_process(SQLITE_PATH=str(tmp_path / "a.sqlite3"))["db"]
    named = _settings_in_a_fresh_process(DATABASE_URL=f"sqlite:///{tmp_path}/b.sqlite3")["db"]
    assert named["OPTIONS"] == embedded["OPTIONS"]
    assert named["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in named["OPTIONS"]["init_command"]
    assert named["OPTIONS"]["timeout"] >= 20


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_under_gunicorn_a_chunked_body_over_the_limit_is_a_413(tmp_path):
    """As deployed: gunicorn de-chunks the body, Django would have seen none of it."""
    import http.client
    import time

    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "SECRET_KEY": "k",
        "PREP_PLAIN_HTTP": "1",
        "DJANGO_SETTINGS_MODULE": "prep.settings",
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "-b", f"127.0.0.1:{port}", "-w", "1", "prep.wsgi:application"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):  # until it listens (startup time is not asserted)
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                time.sleep(0.1)

        def chunked(total: int):
            """Send a chunked body while reading: the server may answer (and close) early."""
            import select
            import socket

            sock = socket.create_connection(("127.0.0.1", port), timeout=60)
            sock.sendall(
                f"POST {API} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            pieces = [b'{"title": "', *([b"x" * 65536] * (total // 65536)), b"x" * (total % 65536)]
            pieces += [b'", "kind": "coding"}']
            received = b""
            try:
                for piece in pieces:
                    if piece:
                        sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                    if select.select([sock], [], [], 0)[0]:
                        break  # the server has answered
                else:
                    sock.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                while chunk := sock.recv(65536):
                    received += chunk
            except (ConnectionResetError, TimeoutError):
                pass
            sock.close()
            head, _, content = received.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
            return int(lines[0].split()[1]), headers.get("Content-Type", ""), content

        status, media, content = chunked(10 * 1024 * 1024)
        assert status == 413, content[:200]
        assert media.startswith("application/json") and b"larger than" in content
        # A small chunked body is read (not dropped): it reaches authentication.
        status, media, content = chunked(1000)
        assert status == 401 and media.startswith("application/json")
    finally:
        server.terminate()
        server.wait(timeout=30)
