"""The outbox's periodic work (run by ``deepdive scheduler``, see ``core.scheduling``)."""

from datetime import timedelta

from deepdive.core.scheduling import periodic

from .operations import interrupt_stale, requeue_stale


def recover() -> str:
    """What ``deepdive outbox_recover`` does with its defaults: the messages a dead worker left
    while sending are shown to the secretariat, and the queued ones whose task was lost are
    given back to the worker."""
    interrupted = interrupt_stale()
    requeued = requeue_stale()
    return f"{interrupted} interrupted, {requeued} queued again"


periodic.register("outbox.recover", every=timedelta(minutes=5), run=recover)
