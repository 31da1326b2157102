"""``deepdive``: the command line. Every Django management command, plus ``demo``."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepdive.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["deepdive", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
