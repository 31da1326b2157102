"""``deepdive select|assign|timetable --input FILE|- [--output FILE]``: JSON in, JSON out.

Exit 0 for every answer that has a status; exit 2, with one message on stderr and nothing on
stdout, for input that cannot be used. Runs without Django.
"""

import argparse
import json
import sys
from collections.abc import Callable
from importlib import import_module

from .validation import InputError

COMMANDS = {
    "select": "deepdive.optimize.select",
    "assign": "deepdive.optimize.assign",
    "timetable": "deepdive.optimize.timetable",
}


def run(name: str, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"deepdive {name}", description=_doc(name))
    parser.add_argument("--input", required=True, help="a JSON file, or - for standard input")
    parser.add_argument("--output", help="where to write the JSON answer (default: stdout)")
    args = parser.parse_args(argv)
    solve_json: Callable[[dict], dict] = import_module(COMMANDS[name]).solve_json
    try:
        text = sys.stdin.read() if args.input == "-" else _read(args.input)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
        answer = solve_json(data)
    except InputError as exc:
        print(f"deepdive {name}: {exc}", file=sys.stderr)
        return 2
    out = json.dumps(answer, indent=2, ensure_ascii=False)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(out + "\n")
    else:
        sys.stdout.write(out + "\n")
    return 0


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"cannot read --input {path!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"--input {path!r} is not UTF-8 text") from None


def _doc(name: str) -> str:
    return {
        "select": "Pick the series' webinars from scored proposals.",
        "assign": "Give each proposal its reviewers.",
        "timetable": "Place the selected webinars in time.",
    }[name]
