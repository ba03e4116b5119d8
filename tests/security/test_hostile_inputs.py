"""Hostile and careless input on the web pages: never a 500.

Out-of-range dates and numbers, NUL and control characters, absurd nesting and sizes get a
clear message (a form error, a 400 page, or the nearest valid value for a navigation
parameter). The named cases are the thirteen that answered 500; the walks then send such
values in every query parameter the site reads and every field of every form it renders.
Run on PostgreSQL in CI (NUL is what PostgreSQL refuses), and on SQLite.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.curriculum.test_progress_seam import onboard
from tests.e2e.test_csp_walk import parameterless_get_pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    "a\x00b",
    "\x01\x1f\x7f",
    "-1",
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999999",
    "1e30",
    "x" * 5000,
]


@pytest.fixture
def walker(client):
    user = UserFactory(email="walker@example.com", profile=None)
    onboard(user)
    client.force_login(user)
    return client


def _upload(client, name: str, content: bytes):
    return client.post(
        "/transcripts/upload/",
        {
            "file": SimpleUploadedFile(name, content),
            "title": "T",
            "kind": "ml_system_design",
            "my_role": "candidate",
            "my_label": "",
        },
    )


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("t.vtt", b"WEBVTT\n\n99999999999:00:00.000 --> 99999999999:00:01.000\nA: hi\n"),
        ("t.vtt", b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA: h\x00i\n"),
        ("t.json", _nested(50_000)),
        ("t.json", _nested(200_000)),
        ("t.json", json.dumps([{"speaker": "A", "text": "hi", "start": 10**30}]).encode()),
        ("t.json", json.dumps([{"speaker": "A", "text": "hi", "start": 1e30}]).encode()),
        ("t.json", json.dumps([{"speaker": "A", "text": "h\x00i", "start": 0}]).encode()),
        (
            "t.json",
            json.dumps({"segments": [{"seq": 0, "speaker": "A\x00", "text": "x"}]}).encode(),
        ),
        ("t.json", b'[{"speaker": "A", "text": "hi", "start": 1e999}]'),
    ],
)
def test_a_hostile_transcript_upload_is_a_form_error(walker, name, content):
    response = _upload(walker, name, content)
    assert response.status_code == 200, response.status_code
    assert b"errorlist" in response.content or b"error" in response.content


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+05:00", "0001-01-01", "9999-12-31T23:59:59-05:00"]
)
def test_a_drills_csv_with_an_out_of_range_date_is_refused_with_a_message(walker, when):
    csv = f"problem,date,minutes,outcome\nTwo Sum,{when},20,solved\n".encode()
    response = walker.post("/drills/attempts/import/", {"file": SimpleUploadedFile("a.csv", csv)})
    assert response.status_code in (200, 400)
    assert b"Line 2" in response.content or b"line 2" in response.content


@pytest.mark.parametrize("week", ["0001-01-01", "0001-01-03", "9999-12-27", "9999-12-31"])
def test_plan_weeks_at_the_ends_of_the_calendar_show_the_nearest_week(walker, week):
    response = walker.get(f"/plan/?week={week}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "?week=" in html  # the navigation still links somewhere representable


@pytest.mark.parametrize("params", ["page=-1", "q=%00", "q=a%00b&page=-1", "page=99999999999"])
def test_the_card_browser_takes_any_page_and_query(walker, params):
    response = walker.get(f"/flashcards/cards/?{params}")
    if "%00" in params:  # a NUL anywhere in a query is a 400 page that names the parameter
        assert response.status_code == 400
        assert b"The query parameter &#x27;q&#x27; contains a NUL character" in response.content
    else:
        assert response.status_code == 200


# --- The walks ----------------------------------------------------------------------------
def query_parameters() -> list[str]:
    """Every query parameter name the site's code reads (``request.GET.get("…")``, ``…["…"]``
    and the GET forms' fields)."""
    names: set[str] = set()
    for path in [*ROOT.glob("prep/**/*.py"), *ROOT.glob("curriculum/**/*.py")]:
        text = path.read_text()
        names.update(re.findall(r"request\.GET(?:\.get)?[\(\[]\s*[\"']([a-z_]+)[\"']", text))
    for path in ROOT.glob("templates/**/*.html"):
        text = path.read_text()
        for form in re.findall(r"<form\b(?:(?!method=\"post\")[^>])*>(.*?)</form>", text, re.S):
            names.update(re.findall(r"\bname=\"([a-z_]+)\"", form))
    return sorted(names - {"csrfmiddlewaretoken"})


def test_every_query_parameter_of_every_page_takes_hostile_values(walker):
    pages = parameterless_get_pages()
    names = query_parameters()
    assert len(pages) >= 25 and len(names) >= 10, (pages, names)
    failures = []
    for page in pages:
        for value in HOSTILE:
            response = walker.get(page, {name: value for name in names})
            if response.status_code >= 500:
                failures.append((page, value[:20], response.status_code))
    assert not failures, failures[:10]


class _Forms(HTMLParser):
    """The POST forms of a page: (action, {field: type})."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._open: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._open = (a.get("action") or "", {})
            self.forms.append(self._open)
        elif self._open is not None and tag in ("input", "textarea", "select") and a.get("name"):
            self._open[1][a["name"]] = a.get("type") or tag

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


SKIP_FORMS = ("/accounts/logout", "/accounts/delete", "/settings/delete", "/logout")


def test_every_form_of_every_page_takes_hostile_values(walker):
    forms: dict[str, dict[str, str]] = {}
    for page in parameterless_get_pages():
        response = walker.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            target = action or page
            if target.startswith(SKIP_FORMS) or target.startswith("http"):
                continue
            forms.setdefault(target, {}).update(fields)
    assert len(forms) >= 10, sorted(forms)
    failures = []
    for action, fields in sorted(forms.items()):
        names = [n for n, kind in fields.items() if n != "csrfmiddlewaretoken" and kind != "file"]
        for value in HOSTILE:
            response = walker.post(action, {name: value for name in names})
            if response.status_code >= 500:
                failures.append((action, value[:20], response.status_code))
    assert not failures, failures[:10]
