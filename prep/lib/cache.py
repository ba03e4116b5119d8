"""Redis as a cache that may go away: every cache call degrades instead of failing.

With Redis unreachable, a read is a miss, a write is dropped and a counter starts from
nothing, with one logged warning per outage window. So sessions (``cached_db``: a miss
reads the database), rate-limit counters and cached pages keep working from the database,
and no page answers 500 because Redis is down. After a failure Redis is not tried again
for ``RETRY_AFTER`` seconds, so an outage costs one connection attempt, not one per call.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger("prep.cache")

RETRY_AFTER = 5.0  # seconds


class _Outage:
    down_until = 0.0

    @classmethod
    def active(cls) -> bool:
        return time.monotonic() < cls.down_until

    @classmethod
    def begin(cls, exc: Exception) -> None:
        if not cls.active():
            log.warning("Redis cache unreachable (%s): falling back to the database", exc)
        cls.down_until = time.monotonic() + RETRY_AFTER


def _guarded(name: str, fallback):
    method = getattr(RedisCacheClient, name)

    def call(self, *args, **kwargs):
        if _Outage.active():
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except (OSError, self._lib.exceptions.RedisError) as exc:
            _Outage.begin(exc)
            return fallback(*args, **kwargs)

    call.__name__ = name
    return call


class ResilientRedisCacheClient(RedisCacheClient):
    add = _guarded("add", lambda key, value, timeout: False)
    get = _guarded("get", lambda key, default: default)
    set = _guarded("set", lambda key, value, timeout: None)
    touch = _guarded("touch", lambda key, timeout: False)
    delete = _guarded("delete", lambda key: False)
    get_many = _guarded("get_many", lambda keys: {})
    has_key = _guarded("has_key", lambda key: False)
    incr = _guarded("incr", lambda key, delta: delta)
    set_many = _guarded("set_many", lambda data, timeout: [])
    delete_many = _guarded("delete_many", lambda keys: None)
    clear = _guarded("clear", lambda: False)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, degrading to misses while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient


def redis_down() -> bool:
    """Whether the cache saw Redis fail within the last ``RETRY_AFTER`` seconds."""
    return _Outage.active()
