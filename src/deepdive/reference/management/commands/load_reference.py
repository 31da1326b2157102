from django.core.management.base import BaseCommand

from deepdive.reference.operations import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the reference data shipped with Deep Dive (Action Groups, Outcomes, criteria, "
        "themes, sectors, partner types, countries, Pathfinder Countries). Rows that exist are "
        "left as they are."
    )

    def handle(self, *args, **options):
        created = load_reference_data()
        for kind, count in created.items():
            self.stdout.write(f"{kind.replace('_', ' ')}: {count} created")
