from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from deepdive.outbox.operations import INTERRUPTED_AFTER, interrupt_stale, requeue_stale


class Command(BaseCommand):
    help = (
        "After a worker crash: show the secretariat the outbox messages a dead worker left in "
        "'sending' (interrupted: they may or may not have been sent, so they are never resent "
        "without a person's decision), and give back to the task worker the queued messages "
        "whose task was lost."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--stale-after",
            type=float,
            default=INTERRUPTED_AFTER.total_seconds(),
            metavar="SECONDS",
            help=(
                "A message claimed this many seconds ago and still sending is interrupted "
                "(default %(default)d). Use 0 only when no worker is running."
            ),
        )

    def handle(self, *args, stale_after: float, **options) -> None:
        interrupted = interrupt_stale(stale_after=timedelta(seconds=max(stale_after, 0)))
        requeued = requeue_stale()
        self.stdout.write(
            ngettext(
                "%(count)d outbox message interrupted while sending: the secretariat sends it "
                "again or marks it sent (outbox page).",
                "%(count)d outbox messages interrupted while sending: the secretariat sends them "
                "again or marks them sent (outbox page).",
                interrupted,
            )
            % {"count": interrupted}
        )
        self.stdout.write(
            ngettext(
                "%(count)d outbox message queued for delivery again.",
                "%(count)d outbox messages queued for delivery again.",
                requeued,
            )
            % {"count": requeued}
        )
