"""The selection's periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta

from deepdive.core.scheduling import periodic

from . import decisions

periodic.register(
    "selection.hosting_reminders", every=timedelta(hours=1), run=decisions.send_hosting_reminders
)
