"""The live stream of a capture session: Server-Sent Events relayed from the event log.

``/capture/sessions/<id>/events`` (the signed-in owner) and
``GET /api/v1/capture/sessions/{id}/events`` (a bearer token) answer ``text/event-stream``:

    retry: 1000

    id: 7
    event: segments
    data: {"segments":[{"seq":3,"speaker":"Candidate","text":"…","final":true,…}],…}

    : ping

Each event carries the transcript's event ``seq`` as its id. A client resumes after a
dropped connection with ``Last-Event-ID`` (browsers send it by themselves), or starts with
``?after=<seq>`` (the ``last_event_id`` of the context it rendered; ``0`` replays
everything); with neither it starts from now. Events come from the database first (catch-up),
then from the bus (``prep.lib.pubsub``): a bus event whose seq skips ahead makes the stream
read the gap from the database, and one at or below what was sent is dropped, so nothing is
missed or repeated. A comment line (``: ping``) goes out every ``PREP_STREAM_HEARTBEAT``
seconds; after ``PREP_STREAM_MAX_SECONDS`` the server ends the stream and the client
reconnects with ``Last-Event-ID`` (so a deploy can drain streams).

How it is served:

- under WSGI (``manage.py runserver``, the tests' live server) a sync generator: Django
  would buffer an async iterator there, a generator is written out chunk by chunk, and each
  open stream holds one thread;
- under ASGI (uvicorn, the deployment's stream service) an async generator: thousands of
  open streams on one event loop, none holding a worker that serves pages.
"""

from __future__ import annotations

import asyncio
import queue
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import StreamingHttpResponse

from prep.lib import pubsub
from prep.transcripts import events

MAX_ID = 10**15


def heartbeat_seconds() -> float:
    return float(getattr(settings, "PREP_STREAM_HEARTBEAT", 15))


def max_seconds() -> float:
    return float(getattr(settings, "PREP_STREAM_MAX_SECONDS", 300))


def frame(seq: int, kind: str, data: str) -> str:
    return f"id: {seq}\nevent: {kind}\ndata: {data}\n\n"


def start_after(request, *, transcript_id: int) -> int:
    """Where a stream starts: Last-Event-ID, else ?after=, else the latest event (now)."""
    for value in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        value = (value or "").strip()
        if value.isdigit() and len(value) < 16:
            return min(int(value), MAX_ID)
    return events.last_seq(transcript_id)


class _Cursor:
    """What one stream has sent; turns bus messages and catch-up reads into frames."""

    def __init__(self, transcript_id: int, after: int):
        self.transcript_id = transcript_id
        self.last = after

    def catch_up(self) -> list[str]:
        out = []
        while True:
            rows = events.after(self.transcript_id, self.last)
            for seq, kind, data in rows:
                out.append(frame(seq, kind, data))
                self.last = seq
            if len(rows) < 500:
                return out

    def take(self, message) -> tuple[list[str], bool]:
        """(frames to send now, whether the database must be read for a gap)."""
        if message is pubsub.RESYNC:
            return [], True
        seq, kind, data = events.decode(message)
        if seq <= self.last:
            return [], False  # already sent (caught up from the database)
        if seq > self.last + 1:
            return [], True  # a gap: the missing events are in the database
        self.last = seq
        return [frame(seq, kind, data)], False


def _sync_stream(transcript_id: int, after: int):
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    unsubscribe = pubsub.subscribe(events.channel(transcript_id), inbox.put)
    cursor = _Cursor(transcript_id, after)
    try:
        yield "retry: 1000\n\n"
        yield from cursor.catch_up()
        deadline = time.monotonic() + max_seconds()
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = inbox.get(timeout=min(heartbeat_seconds(), left))
            except queue.Empty:
                yield ": ping\n\n"
                continue
            if message is pubsub.CLOSE:
                return
            frames, gap = cursor.take(message)
            yield from frames
            if gap:
                yield from cursor.catch_up()
    finally:
        unsubscribe()  # Django closes the request's connection when the response closes


async def _async_stream(transcript_id: int, after: int):
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue = asyncio.Queue()

    def sink(message) -> None:
        loop.call_soon_threadsafe(inbox.put_nowait, message)

    unsubscribe = await sync_to_async(pubsub.subscribe, thread_sensitive=False)(
        events.channel(transcript_id), sink
    )
    cursor = _Cursor(transcript_id, after)
    catch_up = sync_to_async(cursor.catch_up, thread_sensitive=False)
    try:
        yield "retry: 1000\n\n"
        for chunk in await catch_up():
            yield chunk
        deadline = loop.time() + max_seconds()
        while (left := deadline - loop.time()) > 0:
            try:
                message = await asyncio.wait_for(inbox.get(), min(heartbeat_seconds(), left))
            except TimeoutError:
                yield ": ping\n\n"
                continue
            if message is pubsub.CLOSE:
                return
            frames, gap = cursor.take(message)
            for chunk in frames:
                yield chunk
            if gap:
                for chunk in await catch_up():
                    yield chunk
    finally:
        unsubscribe()


def event_stream_response(request, *, transcript_id: int) -> StreamingHttpResponse:
    """The SSE response for a transcript the caller may read (checked by the caller)."""
    after = start_after(request, transcript_id=transcript_id)
    if isinstance(request, ASGIRequest):
        # Django runs this view in a thread of its own that lives as long as the request;
        # its database connection would stay open for the whole stream. Close it: the
        # stream reads the database (rarely) from the shared executor instead.
        for conn in connections.all(initialized_only=True):
            conn.close()
        body = _async_stream(transcript_id, after)
    else:
        body = _sync_stream(transcript_id, after)
    response = StreamingHttpResponse(body, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response


def disconnect(transcript_id: int) -> int:
    """End this process's open streams of a transcript (clients reconnect and resume)."""
    return pubsub.close(events.channel(transcript_id))
