"""Publish/subscribe between web processes: Redis pub/sub when REDIS_URL is set, in-process
otherwise (the embedded default, where one process serves everything).

Publishers call ``publish(channel, message)`` (after their transaction commits). Every
process keeps one ``Hub`` that hands each message to the local subscribers of its channel;
with Redis, one background thread per process listens on a pattern for this database's
channels and feeds the hub, so a thousand open streams cost one Redis connection. Delivery
is best-effort: a subscriber must be able to catch up from the database (the stream does,
by event seq). After the Redis connection is lost and regained, every subscriber is sent
``RESYNC`` so it checks the database for what it missed.

Channels are prefixed with the database name, so two sites (or two test databases) on one
Redis never hear each other (Redis pub/sub ignores the database number).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings

log = logging.getLogger(__name__)

#: Sent to every subscriber when messages may have been missed.
RESYNC = object()
#: Sent to a channel's subscribers to make them end (tests; a deploy draining streams).
CLOSE = object()


class Hub:
    """The subscribers of this process, by channel; sinks are called from any thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sinks: dict[str, set[Callable]] = defaultdict(set)

    def subscribe(self, channel: str, sink: Callable) -> Callable[[], None]:
        with self._lock:
            self._sinks[channel].add(sink)

        def unsubscribe() -> None:
            with self._lock:
                sinks = self._sinks.get(channel)
                if sinks is not None:
                    sinks.discard(sink)
                    if not sinks:
                        del self._sinks[channel]

        return unsubscribe

    def deliver(self, channel: str, message) -> int:
        with self._lock:
            sinks = list(self._sinks.get(channel, ()))
        for sink in sinks:
            try:
                sink(message)
            except Exception:  # noqa: BLE001 - one broken listener must not stop the others
                log.exception("pubsub: a subscriber failed")
        return len(sinks)

    def deliver_all(self, message) -> None:
        with self._lock:
            channels = list(self._sinks)
        for channel in channels:
            self.deliver(channel, message)

    def count(self, channel: str | None = None) -> int:
        with self._lock:
            if channel is not None:
                return len(self._sinks.get(channel, ()))
            return sum(len(s) for s in self._sinks.values())


hub = Hub()


def prefix() -> str:
    name = str(settings.DATABASES["default"].get("NAME", "prep"))
    return f"prep:{name.rsplit('/', 1)[-1]}:"


def channel_name(name: str) -> str:
    return prefix() + name


def _redis_url() -> str:
    return getattr(settings, "REDIS_URL", "") or ""


_client_lock = threading.Lock()
_client = None
_listener: _RedisListener | None = None


def _redis():
    global _client
    with _client_lock:
        if _client is None:
            import redis

            _client = redis.Redis.from_url(_redis_url(), socket_timeout=5, socket_connect_timeout=5)
        return _client


def publish(name: str, message: str) -> None:
    """Send ``message`` to every subscriber of ``name`` in every process (best-effort)."""
    channel = channel_name(name)
    if not _redis_url():
        hub.deliver(channel, message)
        return
    try:
        _redis().publish(channel, message)
    except Exception:  # noqa: BLE001 - the event is in the database; listeners catch up
        log.warning("pubsub: publish to Redis failed", exc_info=True)


def subscribe(name: str, sink: Callable) -> Callable[[], None]:
    """Call ``sink(message)`` (from another thread) for each message on ``name``."""
    if _redis_url():
        _ensure_listener()
    return hub.subscribe(channel_name(name), sink)


def close(name: str) -> int:
    """Tell this process's subscribers of ``name`` to end; returns how many there were."""
    return hub.deliver(channel_name(name), CLOSE)


class _RedisListener(threading.Thread):
    """One per process: psubscribe to this database's channels and feed the hub."""

    def __init__(self, url: str, pattern: str):
        super().__init__(name="prep-pubsub", daemon=True)
        self.url = url
        self.pattern = pattern
        self.ready = threading.Event()

    def run(self) -> None:
        import redis

        backoff = 0.2
        first = True
        while True:
            try:
                client = redis.Redis.from_url(self.url, socket_connect_timeout=5)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(self.pattern)
                pubsub.get_message(timeout=1)  # the subscription is confirmed
                self.ready.set()
                if not first:
                    hub.deliver_all(RESYNC)
                first = False
                backoff = 0.2
                while True:
                    message = pubsub.get_message(timeout=30)
                    if message and message.get("type") == "pmessage":
                        channel = message["channel"].decode()
                        hub.deliver(channel, message["data"].decode())
            except Exception:  # noqa: BLE001 - reconnect, then resync the subscribers
                log.warning("pubsub: Redis listener lost its connection", exc_info=True)
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)


def _ensure_listener() -> None:
    global _listener
    with _client_lock:
        if _listener is None or not _listener.is_alive():
            _listener = _RedisListener(_redis_url(), prefix() + "*")
            _listener.start()
        listener = _listener
    listener.ready.wait(5)
