from django.core.management.base import BaseCommand

from deepdive.proposals import operations


class Command(BaseCommand):
    help = (
        "Remind the contacts of co-submitting organisations that have not answered three days "
        "after the invitation. Each organisation is reminded once; safe to run from cron."
    )

    def handle(self, *args, **options):
        count = operations.send_participation_reminders()
        self.stdout.write(f"{count} organisation(s) reminded.")
