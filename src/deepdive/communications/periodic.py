"""The communications' periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta

from deepdive.core.scheduling import periodic

from . import campaigns

# Every minute: each sending campaign releases up to its rate a minute.
periodic.register("communications.release", every=timedelta(minutes=1), run=campaigns.release)
