"""The webinars' periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta  # noqa: F401  (used by the registrations below)

from deepdive.core.scheduling import periodic  # noqa: F401
