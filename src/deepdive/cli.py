"""``deepdive``: the command line. The optimisers (select, assign, timetable) run without
Django; everything else is a Django management command, ``demo`` among them."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("select", "assign", "timetable"):
        from deepdive.optimize.commands import run

        sys.exit(run(argv[0], argv[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepdive.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["deepdive", *argv])


if __name__ == "__main__":
    main()
