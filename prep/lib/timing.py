"""Server time per request, in a ``Server-Timing`` header (``SERVER_TIMING`` setting).

``app`` is the wall-clock time from this middleware (first in the list) to the response,
``cpu`` the CPU time the serving thread spent on it (Python, templates, the database
driver — not PostgreSQL's own), and ``db`` the time spent in SQL with the number of
queries as its description::

    Server-Timing: app;dur=8.1, cpu;dur=6.9, db;dur=1.2;desc="3 queries"

The load test reads it to report the server's milliseconds per page; browsers show it in
their network panel. Off unless ``SERVER_TIMING`` is set (on with DEBUG): it tells any
client how long each page took, which a public site need not say. Async requests (the live
streams under ASGI) pass through untimed: an event loop's CPU time is not one request's.
"""

from __future__ import annotations

import time
from contextlib import ExitStack

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.utils.decorators import sync_and_async_middleware


class _QueryTimer:
    """A database execute wrapper that adds up the time and count of the queries it sees."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def server_timing_header(*, app: float, cpu: float, db: float, queries: int) -> str:
    """The header's value for durations in seconds."""
    return (
        f"app;dur={app * 1000:.1f}, cpu;dur={cpu * 1000:.1f}, "
        f'db;dur={db * 1000:.1f};desc="{queries} queries"'
    )


@sync_and_async_middleware
def server_timing_middleware(get_response):
    if not getattr(settings, "SERVER_TIMING", False):
        raise MiddlewareNotUsed

    if iscoroutinefunction(get_response):

        async def passthrough(request):
            return await get_response(request)

        return passthrough

    def middleware(request):
        timer = _QueryTimer()
        wall, cpu = time.perf_counter(), time.thread_time()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(timer))
            response = get_response(request)
        response["Server-Timing"] = server_timing_header(
            app=time.perf_counter() - wall,
            cpu=time.thread_time() - cpu,
            db=timer.seconds,
            queries=timer.count,
        )
        return response

    return middleware
