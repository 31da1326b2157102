"""The benchmark's middleware: each response says how long Django took to make it.

``Server-Timing: app;dur=<ms>`` is the time from the outermost middleware in to the response
out (everything but the WSGI server and the sending of the body). With
DEEPDIVE_BENCH_QUERIES=1 it also counts the request's SQL queries (on the default database,
with a ``connection.execute_wrapper``) into ``X-Bench-Queries`` and adds their total execution
time, ``db;dur=<ms>``, to Server-Timing.
"""

import os
import time

from django.db import connection

COUNT_QUERIES = os.environ.get("DEEPDIVE_BENCH_QUERIES") == "1"


class QueryTimer:
    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not COUNT_QUERIES:
            start = time.perf_counter()
            response = self.get_response(request)
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.3f}"
            return response
        timer = QueryTimer()
        start = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.3f}, db;dur={timer.seconds * 1000:.3f}"
        response["X-Bench-Queries"] = str(timer.count)
        return response
