"""The live stream: the event log the services write, the bus, and the SSE routes."""

from __future__ import annotations

import threading

import pytest

from prep.capture import stream
from prep.capture.models import CaptureSession
from prep.lib import pubsub
from prep.transcripts import events
from prep.transcripts.models import TranscriptEvent

from .conftest import API, seg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _short_streams(settings):
    """Streams end after a moment here, so reading one to its end terminates."""
    settings.PREP_STREAM_HEARTBEAT = 0.05
    settings.PREP_STREAM_MAX_SECONDS = 0.3


def _transcript_id(session_id: int) -> int:
    return CaptureSession.objects.get(pk=session_id).transcript_id


def _frames(response) -> list[dict]:
    """The events of an SSE body: [{id, event, data}], in order; pings and retry skipped."""
    body = b"".join(response.streaming_content).decode()
    out = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "id" in fields:
            out.append({"id": int(fields["id"]), "event": fields["event"], "data": fields["data"]})
    return out


def _busy_session(api, session_id):
    api.segments(session_id, [seg(0, "hello", final=False)])
    api.segments(session_id, [seg(0, "hello world"), seg(1)])
    api.post(f"{API}/{session_id}/pins", {"kind": "constraint", "text": "p99 < 50ms", "at_ms": 1})
    api.post(f"{API}/{session_id}/phases", {"phase": "framing", "at_ms": 0})
    api.post(f"{API}/{session_id}/end")


def test_each_change_is_one_event_in_order(api, session_id):
    _busy_session(api, session_id)
    rows = list(
        TranscriptEvent.objects.filter(transcript_id=_transcript_id(session_id)).values_list(
            "seq", "kind"
        )
    )
    assert rows == [(1, "segments"), (2, "segments"), (3, "pin"), (4, "phase"), (5, "status")]


def test_resends_and_refused_batches_record_nothing(api, session_id):
    api.segments(session_id, [seg(0)])
    api.segments(session_id, [seg(0)])  # a duplicate changes nothing
    assert api.segments(session_id, [seg(1), seg(0, "changed final")]).status_code == 409
    api.post(f"{API}/{session_id}/pins", {"kind": "note", "text": "x", "at_ms": 0})
    api.post(f"{API}/{session_id}/pins", {"kind": "note", "text": "x", "at_ms": 0})
    kinds = list(
        TranscriptEvent.objects.filter(transcript_id=_transcript_id(session_id)).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["segments", "pin"]


def test_events_are_published_only_after_commit(
    api, session_id, django_capture_on_commit_callbacks
):
    heard = []
    unsubscribe = pubsub.subscribe(events.channel(_transcript_id(session_id)), heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            api.segments(session_id, [seg(0)])
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        if not pubsub._redis_url():
            assert [events.decode(m)[:2] for m in heard] == [(1, "segments")]
    finally:
        unsubscribe()


def test_the_stream_replays_from_after_and_resumes_from_last_event_id(api, session_id):
    _busy_session(api, session_id)
    everything = _frames(api.get(f"{API}/{session_id}/events?after=0"))
    assert [f["id"] for f in everything] == [1, 2, 3, 4, 5]
    assert [f["event"] for f in everything] == ["segments", "segments", "pin", "phase", "status"]
    resumed = _frames(api.get(f"{API}/{session_id}/events?after=0", headers={"Last-Event-ID": "3"}))
    assert [f["id"] for f in resumed] == [4, 5]  # the header wins over ?after
    assert _frames(api.get(f"{API}/{session_id}/events")) == []  # from now on


def test_the_page_stream_is_the_same_for_the_signed_in_owner(client, alice, api, session_id):
    api.segments(session_id, [seg(0, "said")])
    client.force_login(alice)
    response = client.get(f"/capture/sessions/{session_id}/events?after=0")
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"] == "no-cache, no-transform"
    [frame] = _frames(response)
    assert '"text":"said"' in frame["data"]


def test_heartbeats_keep_a_quiet_stream_open(api, session_id):
    body = b"".join(api.get(f"{API}/{session_id}/events").streaming_content).decode()
    assert body.startswith("retry: 1000\n\n")
    assert ": ping\n\n" in body


def test_the_stream_is_404_for_anyone_else_and_401_without_a_token(
    client, charlie, charlie_api, session_id
):
    assert charlie_api.get(f"{API}/{session_id}/events").status_code == 404
    client.force_login(charlie)
    assert client.get(f"/capture/sessions/{session_id}/events").status_code == 404
    client.logout()
    assert client.get(f"{API}/{session_id}/events").status_code == 401
    assert client.get(f"/capture/sessions/{session_id}/events").status_code == 302  # login


# --- The cursor: no event missed, none repeated --------------------------------------------
class _Log:
    def __init__(self, n):
        self.rows = [(i, "pin", "{}") for i in range(1, n + 1)]

    def after(self, _tid, seq, *, limit=500):
        return [r for r in self.rows if r[0] > seq][:limit]


def test_a_gap_on_the_bus_is_read_from_the_log_and_old_events_are_dropped(monkeypatch):
    log = _Log(6)
    monkeypatch.setattr(events, "after", log.after)
    cursor = stream._Cursor(transcript_id=1, after=2)
    assert [f.split("\n")[0] for f in cursor.catch_up()] == ["id: 3", "id: 4", "id: 5", "id: 6"]
    assert cursor.last == 6
    log.rows.append((7, "pin", "{}"))
    log.rows.append((8, "pin", "{}"))
    assert cursor.take(events.encode(5, "pin", {})) == ([], False)  # already sent
    frames, gap = cursor.take(events.encode(8, "pin", {}))  # 7 went missing on the bus
    assert (frames, gap) == ([], True)
    assert [f.split("\n")[0] for f in cursor.catch_up()] == ["id: 7", "id: 8"]
    assert cursor.take(events.encode(8, "pin", {})) == ([], False)
    frames, gap = cursor.take(events.encode(9, "pin", {"a": 1}))
    assert frames == ['id: 9\nevent: pin\ndata: {"a":1}\n\n'] and not gap
    assert cursor.take(pubsub.RESYNC) == ([], True)


def test_close_ends_a_waiting_stream():
    stream_gen = stream._sync_stream(transcript_id=10**9, after=0)
    assert next(stream_gen) == "retry: 1000\n\n"
    done = threading.Event()

    def drain():
        list(stream_gen)
        done.set()

    # the generator is already subscribed: CLOSE from another thread ends it
    thread = threading.Thread(target=drain, daemon=True)
    thread.start()
    stream.disconnect(10**9)
    assert done.wait(5)


@pytest.mark.redis
def test_redis_fan_out_reaches_every_process_subscriber():
    heard: list[str] = []
    got = threading.Event()

    def sink(message):
        heard.append(message)
        got.set()

    unsubscribe = pubsub.subscribe("test:fanout", sink)
    try:
        pubsub.publish("test:fanout", events.encode(1, "pin", {"x": 1}))
        assert got.wait(5)
        assert heard == ['1 pin {"x":1}']
    finally:
        unsubscribe()


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_stream_is_async_and_relays_live_events(
    api, session_id, alice_token, settings
):
    """The ASGI path (uvicorn in the deployment): an async iterator, fed by the bus."""
    import asyncio

    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    settings.PREP_STREAM_MAX_SECONDS = 60
    api.post(f"{API}/{session_id}/pins", {"kind": "note", "text": "before", "at_ms": 0})

    def pin_after():
        api.post(f"{API}/{session_id}/pins", {"kind": "note", "text": "after", "at_ms": 1})

    async def main():
        response = await AsyncClient().get(
            f"{API}/{session_id}/events?after=0",
            headers={"Authorization": f"Bearer {alice_token}"},
        )
        assert response.streaming and response.is_async
        body, posted = "", False
        async for chunk in response.streaming_content:
            body += chunk.decode() if isinstance(chunk, bytes) else chunk
            if "id: 1\n" in body and not posted:  # caught up: now a write arrives live
                posted = True
                await sync_to_async(pin_after, thread_sensitive=False)()
            if "id: 2\n" in body and body.endswith("\n\n"):
                break
        return body

    # A loop of its own, in a thread: a browser test may have left one running in this one.
    results: list[str] = []
    runner = threading.Thread(
        target=lambda: results.append(asyncio.run(asyncio.wait_for(main(), 30)))
    )
    runner.start()
    runner.join(60)
    [body] = results
    ids = [int(line[4:]) for line in body.splitlines() if line.startswith("id: ")]
    assert ids == [1, 2]
    assert '"text":"after"' in body


def test_deleting_my_speech_also_deletes_it_from_the_event_log(api, alice):
    from prep.transcripts import services as transcript_services

    sid = api.create(speakers={"A": "me", "B": "other"}).json()["id"]
    api.segments(sid, [seg(0, "mine"), seg(1, "theirs", speaker="B")])
    api.post(f"{API}/{sid}/end")
    transcript = CaptureSession.objects.get(pk=sid).transcript
    transcript_services.speech_delete(transcript=transcript, user=alice)
    log = TranscriptEvent.objects.filter(transcript=transcript)
    assert list(log.values_list("seq", "kind")) == [(1, "segments"), (2, "status")]  # seqs kept
    assert all("mine" not in str(data) for data in log.values_list("data", flat=True))
    assert "theirs" in str(log.get(seq=1).data)
