"""The proposals' periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta

from deepdive.core.scheduling import periodic

from . import operations
from .tasks import REMINDERS_JOB

periodic.register(
    REMINDERS_JOB,
    every=timedelta(hours=1),
    run=operations.send_participation_reminders,
)
