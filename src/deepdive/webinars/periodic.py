"""The webinars' periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta

from deepdive.core.scheduling import periodic

from . import host_reminders, preparation, registration, reminders, unconfirmed

periodic.register(
    "webinars.host_reminders", every=timedelta(hours=1), run=host_reminders.send_host_reminders
)

periodic.register(
    "webinars.expire_offers", every=timedelta(minutes=15), run=registration.expire_offers
)

periodic.register("webinars.reminders", every=timedelta(minutes=5), run=reminders.send_reminders)

periodic.register("webinars.held", every=timedelta(minutes=15), run=preparation.mark_held)

periodic.register(
    "webinars.forget_unconfirmed", every=timedelta(hours=1), run=unconfirmed.forget_unconfirmed
)
