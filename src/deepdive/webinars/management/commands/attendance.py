"""``deepdive attendance --webinar ID FILE [--dry-run] [--session repeat]``: import a meeting
platform's attendance report for a held webinar (DESIGN.md, "Attendance"), of its first session
(the default) or of its repeat session.

Exit 0 with the JSON answer on stdout; exit 2, with one message naming the line and the problem
on stderr (no traceback, nothing on stdout), for a file that cannot be used. Warnings that the
report may be of another meeting go to stderr and do not stop the import.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from deepdive.core.refusals import Refused
from deepdive.webinars import sessions
from deepdive.webinars.attendance import service
from deepdive.webinars.models import Webinar


class Command(BaseCommand):
    help = (
        "Read a Zoom, Microsoft Teams or Webex attendance report for a held webinar and keep "
        "who attended, for how long. With --dry-run nothing is written. Importing the same file "
        "twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--webinar", type=int, required=True, help="The webinar's id.")
        parser.add_argument("file", help="The report, as the meeting platform exported it.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; write nothing."
        )
        parser.add_argument(
            "--session",
            choices=[sessions.FIRST, sessions.REPEAT],
            default=sessions.FIRST,
            help="Which session the report is of: the first (default) or the repeat session.",
        )

    def handle(self, *args, webinar, file, dry_run=False, session=sessions.FIRST, **options):
        found = Webinar.objects.filter(pk=webinar).select_related("proposal").first()
        if found is None:
            raise CommandError(f"No webinar has the id {webinar}.")
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from None
        run = service.preview if dry_run else service.import_attendance
        try:
            result = run(actor=None, webinar=found, data=data, session=session)
        except service.AttendanceFileUnusable as exc:
            raise CommandError(f"{file}: {exc.problem}", returncode=2) from None
        except Refused as exc:
            raise CommandError(" ".join(exc.messages())) from None
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
