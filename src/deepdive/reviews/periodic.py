"""The reviews' periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta

from deepdive.core.scheduling import periodic

from .operations import reminders

periodic.register(
    "reviews.review_reminders", every=timedelta(hours=1), run=reminders.send_review_reminders
)
