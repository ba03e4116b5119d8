import json
import logging

import pytest

from prep.lib.logging import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second


def test_a_proxys_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="x\nInjected: 1")["X-Request-ID"]
    assert "\n" not in hostile and hostile != "x\nInjected: 1"


def test_json_lines_name_the_request():
    record = logging.LogRecord("prep", logging.WARNING, __file__, 1, "slow %s", ("thing",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert (
        line["message"] == "slow thing" and line["level"] == "WARNING" and line["request_id"] == "-"
    )
