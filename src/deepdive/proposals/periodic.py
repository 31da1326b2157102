"""The proposals' periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta

from deepdive.core.scheduling import periodic

from . import operations

periodic.register(
    "proposals.participation_reminders",
    every=timedelta(hours=1),
    run=operations.send_participation_reminders,
)
