from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from deepdive.outbox.operations import requeue_stale


class Command(BaseCommand):
    help = (
        "Give back to the task worker the outbox messages nobody is delivering: those a dead "
        "worker left in 'sending' and queued ones whose task was lost."
    )

    def handle(self, *args, **options) -> None:
        count = requeue_stale()
        self.stdout.write(
            ngettext(
                "%(count)d outbox message queued for delivery again.",
                "%(count)d outbox messages queued for delivery again.",
                count,
            )
            % {"count": count}
        )
