"""Settings of the submission benchmark: Deep Dive's own settings, with only

- ROOT_URLCONF swapped for ``bench.bench_urls`` (Deep Dive's URLs plus a bare view), and
- ``bench.bench_timing.ServerTimingMiddleware`` put first, to report each request's server time.

Everything else (middleware, database, static files, sessions, allauth) is unchanged.
"""

from deepdive.settings import *  # noqa: F403
from deepdive.settings import MIDDLEWARE

ROOT_URLCONF = "bench.bench_urls"
MIDDLEWARE = ["bench.bench_timing.ServerTimingMiddleware", *MIDDLEWARE]
