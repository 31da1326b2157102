from django.core.management.base import BaseCommand

from deepdive.selection import decisions


class Command(BaseCommand):
    help = (
        "Remind the contacts of selected proposals whose host has not answered, three days "
        "before the deadline. Each is reminded once; safe to run from cron."
    )

    def handle(self, *args, **options):
        count = decisions.send_hosting_reminders()
        self.stdout.write(f"{count} host(s) reminded.")
