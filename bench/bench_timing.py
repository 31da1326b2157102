"""The benchmark's middleware: each response says how long Django took to make it.

``Server-Timing: app;dur=<ms>`` is the time from the outermost middleware in to the response
out (everything but the WSGI server and the sending of the body). With
DEEPDIVE_BENCH_QUERIES=1 it also counts the SQL queries of the request (Django's
CaptureQueriesContext, which adds a little overhead) into ``X-Bench-Queries`` and their total
time into ``Server-Timing: db;dur=<ms>``.
"""

import os
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

COUNT_QUERIES = os.environ.get("DEEPDIVE_BENCH_QUERIES") == "1"


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not COUNT_QUERIES:
            start = time.perf_counter()
            response = self.get_response(request)
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.3f}"
            return response
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        db = sum(float(q.get("time") or 0) for q in queries.captured_queries) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.3f}, db;dur={db:.3f}"
        response["X-Bench-Queries"] = str(len(queries.captured_queries))
        return response
