"""The reference client: file parsing, the chaos plan, and replays against a live server."""

from __future__ import annotations

import json
import random

import pytest

from prep.accounts.tokens import api_token_create
from prep.capture import client as prep_capture
from prep.capture.models import CaptureSession
from prep.transcripts.models import Segment
from tests.factories import UserFactory

from . import transcripts


def test_webvtt_with_voice_tags(tmp_path):
    path = tmp_path / "m.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE a comment\n\n1\n00:00:01.000 --> 00:00:02.500\n<v Alice>Hello there</v>\n\n"
        "00:01:02.250 --> 00:01:03.000 align:start\n<v.loud Bob>Hi <b>Alice</b></v>\n"
    )
    cues = prep_capture.parse_transcript(path)
    assert [(c.seq, c.speaker, c.text, c.start_ms, c.end_ms) for c in cues] == [
        (0, "Alice", "Hello there", 1000, 2500),
        (1, "Bob", "Hi Alice", 62250, 63000),
    ]


def test_srt_with_speaker_prefixes(tmp_path):
    path = tmp_path / "m.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nAlice: One\ntwo\n\n2\n01:00:00,5 --> 01:00:01,0\nplain\n"
    )
    cues = prep_capture.parse_transcript(path)
    assert [(c.speaker, c.text, c.start_ms) for c in cues] == [
        ("Alice", "One two", 1000),
        ("Speaker", "plain", 3_600_500),
    ]


def test_json_in_seconds_or_milliseconds(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps(
            {
                "segments": [
                    {"speaker": "A", "text": "x", "start": 1.5, "end": 2},
                    {"speaker": "B", "text": "y", "start_ms": 2500, "end_ms": 3000},
                    {"speaker": "B", "text": "  "},
                ]
            }
        )
    )
    cues = prep_capture.parse_transcript(path)
    # A blank segment is kept as it is: the numbering after it stays the file's.
    assert [(c.seq, c.text, c.start_ms, c.end_ms) for c in cues] == [
        (0, "x", 1500, 2000),
        (1, "y", 2500, 3000),
        (2, "  ", 0, 0),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.vtt", "not a vtt"),
        ("a.srt", "1\nno times here\n"),
        ("a.json", "{broken"),
        ("a.json", '{"segments": 3}'),
        ("a.txt", "hello"),
        ("a.json", '[{"text": "x", "start": "soon"}]'),
        ("missing.vtt", None),
    ],
)
def test_bad_files_are_refused_with_a_message(tmp_path, capsys, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    assert prep_capture.main(["--token", "x", str(path)]) == 2
    assert "prep-capture:" in capsys.readouterr().err


def test_the_chaos_plan_delivers_every_final_within_the_batch_limit():
    cues = [prep_capture.Cue(i, "A", f"word {i} more words", i, i + 1) for i in range(1000)]
    plan = prep_capture.chaos_plan(cues, 100, random.Random(3))
    assert all(1 <= len(batch) <= 100 for batch in plan)
    finals = {s["seq"] for batch in plan for s in batch if s["final"]}
    assert finals == set(range(1000))
    for batch in plan:
        for s in batch:
            if s["final"]:
                assert s["text"] == cues[s["seq"]].text
            else:
                assert s["text"] != cues[s["seq"]].text
    assert sum(len(b) for b in plan) > 1200  # resends and interims on top


# --- Retries ---------------------------------------------------------------------------
class _Response:
    def __init__(self, status, body):
        self.status, self._body = status, json.dumps(body).encode()

    def read(self):
        return self._body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_network_errors_and_5xx_are_retried_with_backoff(monkeypatch):
    import urllib.error

    calls, sleeps = [], []

    def urlopen(req, timeout):
        calls.append(req.full_url)
        if len(calls) == 1:
            raise urllib.error.URLError("connection refused")
        if len(calls) == 2:
            raise urllib.error.HTTPError(req.full_url, 503, "busy", {}, None)
        return _Response(200, {"ok": True})

    monkeypatch.setattr(prep_capture.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(prep_capture.time, "sleep", sleeps.append)
    client = prep_capture.Client("http://x", "t", backoff=1.0, rng=random.Random(0))
    assert client.request("GET", "/sessions/1") == (200, {"ok": True})
    assert len(calls) == 3
    assert client.stats.retries == 2
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0  # exponential, with jitter


def test_a_4xx_is_not_retried(monkeypatch):
    import urllib.error

    calls = []

    def urlopen(req, timeout):
        calls.append(1)
        raise urllib.error.HTTPError(req.full_url, 409, "conflict", {}, None)

    monkeypatch.setattr(prep_capture.urllib.request, "urlopen", urlopen)
    with pytest.raises(prep_capture.ApiError) as exc:
        prep_capture.Client("http://x", "t").request("POST", "/sessions/1/segments", {})
    assert exc.value.status == 409
    assert calls == [1]


def test_giving_up_after_the_last_retry(monkeypatch):
    import urllib.error

    def urlopen(req, timeout):
        raise urllib.error.URLError("down")

    monkeypatch.setattr(prep_capture.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(prep_capture.time, "sleep", lambda s: None)
    client = prep_capture.Client("http://x", "t", retries=3)
    with pytest.raises(prep_capture.ApiError):
        client.request("GET", "/sessions/1")
    assert client.stats.requests == 4


# --- Against the live server -------------------------------------------------------------
live = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.capture.urls")]


def _stored(session_id):
    return list(
        Segment.objects.filter(transcript__capture_session=session_id)
        .order_by("seq")
        .values_list("seq", "speaker", "text", "start_ms", "end_ms", "final")
    )


def _expected(path):
    return [
        (c.seq, c.speaker, c.text, c.start_ms, c.end_ms, True)
        for c in prep_capture.parse_transcript(path)
    ]


@pytest.fixture
def token(settings):
    settings.PREP_CAPTURE_RATE_PER_MINUTE = 100_000
    return api_token_create(user=UserFactory(), name="replay")[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.capture.urls")
def test_a_chaos_replay_of_2000_segments_stores_exactly_the_source(
    live_server, tmp_path, capsys, token
):
    path = tmp_path / "mock.vtt"
    path.write_text(transcripts.vtt(2000))
    args = ["--server", live_server.url, "--token", token, "--chaos", "--seed", "7"]
    code = prep_capture.main([*args, "--json", "--quiet", str(path)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["new"] == 2000
    assert summary["duplicate"] > 0
    assert summary["replaced"] > 0
    assert summary["stale"] > 0
    assert summary["last_contiguous_seq"] == 1999
    assert summary["errors_5xx"] == 0
    session = CaptureSession.objects.get(pk=summary["session"])
    assert _stored(session.pk) == _expected(path)  # no loss, no duplicate, no interim left
    assert session.status == "ended"
    assert session.transcript.final_count == session.transcript.segment_count == 2000


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.capture.urls")
def test_a_restarted_client_resumes_after_the_last_contiguous_seq(live_server, tmp_path, token):
    path = tmp_path / "mock.srt"
    path.write_text(transcripts.srt(300))
    cues = prep_capture.parse_transcript(path)
    first = prep_capture.Client(live_server.url, token)
    # The first run "crashes" after 120 segments, without ending the session.
    stats = prep_capture.replay(
        first, cues[:120], create={"title": "m", "kind": "coding"}, batch_size=50, end=False
    )
    second = prep_capture.Client(live_server.url, token)
    resumed = prep_capture.replay(second, cues, session_id=stats.session, batch_size=50)
    assert resumed.sent == 180  # only what was missing
    assert resumed.new == 180 and resumed.duplicate == 0
    assert _stored(stats.session) == _expected(path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.capture.urls")
def test_rerunning_the_same_command_reuses_the_session(live_server, tmp_path, capsys, token):
    path = tmp_path / "mock.json"
    path.write_text(json.dumps([{"speaker": "A", "text": f"t{i}", "start": i} for i in range(30)]))
    args = ["--server", live_server.url, "--token", token, "--json", "--quiet", "--no-end"]
    assert prep_capture.main([*args, str(path)]) == 0
    first = json.loads(capsys.readouterr().out)
    assert prep_capture.main([*args, str(path)]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["session"] == first["session"]  # the Idempotency-Key derived from the file
    assert second["sent"] == 0
    assert CaptureSession.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.capture.urls")
def test_realtime_paces_batches_by_media_time(live_server, tmp_path, token, monkeypatch):
    path = tmp_path / "mock.json"
    path.write_text(
        json.dumps([{"speaker": "A", "text": f"t{i}", "start": i, "end": i + 1} for i in range(6)])
    )
    sleeps = []
    monkeypatch.setattr(prep_capture.time, "sleep", sleeps.append)
    client = prep_capture.Client(live_server.url, token)
    cues = prep_capture.parse_transcript(path)
    prep_capture.replay(
        client,
        cues,
        create={"title": "m", "kind": "coding"},
        batch_size=2,
        realtime=True,
        speed=2.0,
    )
    # Batches end at media 2 s, 4 s and 6 s: due at 1, 2 and 3 s at double speed.
    assert len(sleeps) == 3
    assert 0.5 < sleeps[0] <= 1.0
