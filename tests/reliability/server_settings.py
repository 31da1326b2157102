"""Settings of the web servers the reliability tests start: the real settings (from the
``DEEPDIVE_*`` environment the test gives), with one more middleware that tells the test, in
two response headers, when the platform stamped the request's arrival and which process
served it."""

import os

from deepdive.settings import *  # noqa: F403
from deepdive.settings import MIDDLEWARE

MIDDLEWARE = [*MIDDLEWARE, "tests.reliability.server_settings.ReportArrival"]


class ReportArrival:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Test-Arrived-At"] = request.arrived_at.isoformat()
        response["X-Test-Process"] = str(os.getpid())
        return response
