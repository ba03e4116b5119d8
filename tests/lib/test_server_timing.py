import re

import pytest
from django.test import Client

from prep.lib.timing import server_timing_header

pytestmark = pytest.mark.django_db

HEADER = re.compile(
    r"^app;dur=(?P<app>[\d.]+), cpu;dur=(?P<cpu>[\d.]+), "
    r'db;dur=(?P<db>[\d.]+);desc="(?P<queries>\d+) queries"$'
)


def test_each_response_says_its_server_time_and_queries(settings, django_assert_num_queries):
    settings.SERVER_TIMING = True
    client = Client()  # a new handler: middleware is chosen when it loads
    client.get("/healthz")
    with django_assert_num_queries(2):  # the database check and the outbox count
        response = client.get("/healthz")
    match = HEADER.match(response["Server-Timing"])
    assert match, response["Server-Timing"]
    assert int(match["queries"]) == 2
    assert float(match["app"]) >= float(match["db"]) and float(match["app"]) > 0


def test_off_unless_set(settings):
    settings.SERVER_TIMING = False
    assert "Server-Timing" not in Client().get("/healthz")


def test_the_header_is_in_milliseconds():
    assert server_timing_header(app=0.0123, cpu=0.01, db=0.002, queries=3) == (
        'app;dur=12.3, cpu;dur=10.0, db;dur=2.0;desc="3 queries"'
    )
