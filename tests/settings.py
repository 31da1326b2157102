"""Settings for the test suite: the real settings, with tasks run at once and delivery into
Django's test mailbox unless a test points it at a real SMTP server."""

import os
import tempfile

os.environ.setdefault("DEEPDIVE_VAR", tempfile.mkdtemp(prefix="deepdive-test-"))
os.environ["DEEPDIVE_TESTING"] = "1"
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still
# used synchronously there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from deepdive.settings import *  # noqa: E402,F403
from deepdive.settings import OUTBOX_DELIVERY  # noqa: E402

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email"],
    }
}
OUTBOX_DELIVERY = {**OUTBOX_DELIVERY, "BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
SITE_URL = "http://testserver"
