from django.core.management.base import BaseCommand, CommandError

from deepdive.proposals import operations
from deepdive.series.models import Call


class Command(BaseCommand):
    help = (
        "Work out again the near-duplicate pairs of every call's proposals (or of one call), "
        "which the secretariat's table reads. They are kept up to date as proposals change; "
        "run this after loading proposals some other way or changing the rules. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--call", type=int, help="Only the call with this id.")

    def handle(self, *args, call=None, **options):
        calls = Call.objects.order_by("pk")
        if call is not None:
            calls = calls.filter(pk=call)
            if not calls.exists():
                raise CommandError(f"No call has the id {call}.")
        total = 0
        for each in calls:
            total += operations.fill_near_duplicates(call=each)
        self.stdout.write(f"{total} near-duplicate pair(s) kept.")
