from django.core.management.base import BaseCommand

from deepdive.reviews.operations import reminders


class Command(BaseCommand):
    help = (
        "Remind reviewers whose review window closes within three days of the proposals they "
        "have not reviewed yet. Each assignment is reminded once; safe to run from cron."
    )

    def handle(self, *args, **options):
        count = reminders.send_review_reminders()
        self.stdout.write(f"{count} reviewer(s) reminded.")
