"""Reading the attendance reports that meeting platforms export. Pure Python: no Django.

``read(data, webinar_date=…, zone=…)`` recognises the format by the file's content (never its
name): a Zoom meeting participants report, a Zoom webinar attendee report, a Microsoft Teams
meeting attendance report or a Webex attendee report. It decodes UTF-8 (with or without its
byte-order mark) or UTF-16 (Teams and Webex write it, with a byte-order mark), tells tabs from
commas, reads the sections, strips Excel's ``="…"`` wrappers, and returns each row with its line
number. Dates are read in the webinar's zone; a date such as ``03/10/2025`` that could be either
day/month or month/day is read as whichever lies nearer the webinar's own date.

A row that cannot be read is kept aside with its line and why (``Unreadable``); a file that
cannot be used at all raises ``UnusableFile`` (its line and the problem). ``fold`` then makes
one ``Person`` per e-mail address (case-insensitive), else per name.

Messages are English here, with a ``code`` and ``params`` so that the caller can say them in
the reader's language.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

ZOOM_MEETING = "zoom_meeting"
ZOOM_WEBINAR = "zoom_webinar"
TEAMS = "teams"
WEBEX = "webex"
FORMATS = (ZOOM_MEETING, ZOOM_WEBINAR, TEAMS, WEBEX)

ATTENDEE = "attendee"
HOST = "host"

# What each problem says, in English; ``Problem.code`` names it for translations.
PROBLEMS = {
    "empty": "The file is empty.",
    "encoding": "The file is not text in UTF-8 or UTF-16 (line {line}).",
    "unknown_format": (
        "This is not an attendance report from Zoom, Microsoft Teams or Webex: "
        "no participants' header row was found."
    ),
    "truncated": "The file is cut off at line {line}: {detail}",
    "no_rows": "The file ends after the participants' header at line {line}: no rows follow.",
    "no_person": "no name and no e-mail address",
    "bad_time": "cannot read the time “{value}”",
    "bad_duration": "cannot read the duration “{value}”",
    "leave_before_join": "the leave time comes before the join time",
    "no_time": "neither a join and leave time nor a duration",
    "short_row": "the row has {found} columns where the header has {expected}",
}


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict[str, str | int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return PROBLEMS[self.code].format(**self.params)


class UnusableFile(ValueError):
    """The file cannot be used at all. ``line`` is where the problem is (None: everywhere)."""

    def __init__(self, code: str, *, line: int | None = None, **params: str | int):
        self.problem = Problem(code, {"line": line or 0, **params})
        self.line = line
        super().__init__(self.text)

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def text(self) -> str:
        prefix = f"line {self.line}: " if self.line and "{line}" not in PROBLEMS[self.code] else ""
        return prefix + self.problem.text


@dataclass(frozen=True)
class Row:
    """One row of a report: one stay of one person (a rejoin or a second device is another)."""

    line: int
    name: str
    email: str
    role: str  # ATTENDEE or HOST (host, co-host, panelist, organiser, presenter)
    intervals: tuple[tuple[datetime, datetime], ...] = ()
    seconds: int | None = None  # the duration given, when there is no join and leave time


@dataclass(frozen=True)
class Unreadable:
    line: int
    problem: Problem

    @property
    def reason(self) -> str:
        return self.problem.text


@dataclass
class Report:
    format: str
    rows: list[Row]
    unreadable: list[Unreadable]
    title: str = ""  # the meeting's topic or title, when the report gives it
    first_join: datetime | None = None


@dataclass(frozen=True)
class Person:
    """Everyone's rows folded: ``key`` is the e-mail address in lower case, else the name."""

    key: str
    name: str
    email: str
    is_host: bool
    minutes: int
    lines: tuple[int, ...]


# ------------------------------------------------------------------------------ decoding


def decode(data: bytes) -> str:
    """The text of the file: UTF-8 (with or without BOM), or UTF-16 with a BOM (or without one
    when every other byte is zero, as some exports write it)."""
    if not data.strip(b"\x00 \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise UnusableFile("empty", line=1)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", data[:3])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", b"")
    head = data[:400]
    if head.count(b"\x00") * 3 > len(head):
        odd_zeros = head[1::2].count(b"\x00")
        return _decode(data, "utf-16-le" if odd_zeros > len(head) // 4 else "utf-16-be", b"")
    return _decode(data, "utf-8", b"")


def _decode(data: bytes, encoding: str, prefix: bytes) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        text = data[: exc.start].decode(encoding, errors="replace")
        line = text.count("\n") + 1
        if encoding.startswith("utf-16") and exc.start >= len(data) - 1:
            raise UnusableFile(
                "truncated", line=line, detail="its last character is cut in half."
            ) from None
        raise UnusableFile("encoding", line=line) from None


def _cell(value: str) -> str:
    value = value.strip().strip("\ufeff").strip()
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        value = value[2:-1]
    return value.strip()


def _lines(text: str) -> tuple[list[tuple[int, list[str]]], dict[int, int]]:
    """(line number, cells) of every row, blank rows kept as [] and trailing empty cells
    dropped (Zoom ends its rows with commas); and each row's width as written."""
    sample = text[:5000]
    delimiter = "\t" if "\t" in sample else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            cleaned = [_cell(c) for c in cells]
            rows.append((start, cleaned if any(cleaned) else []))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnusableFile(
            "truncated", line=start, detail=f"{exc} (a quoted value never ends)."
        ) from None
    widths = {line: len(cells) for line, cells in rows}
    out = []
    for line, cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        out.append((line, cells))
    return out, widths


# ------------------------------------------------------------------------------ values


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|s|sec|secs|second|seconds)\b"
)


def parse_duration(text: str) -> int:
    """Seconds of ``10m 59s``, ``1h 2m``, ``45 mins``, ``70`` (minutes) or ``1:02:03``."""
    value = text.strip().lower()
    if not value:
        raise ValueError(text)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", value):
        return round(float(value.replace(",", ".")) * 60)
    if re.fullmatch(r"\d{1,3}:\d{2}(?::\d{2})?", value):
        parts = [int(p) for p in value.split(":")]
        if len(parts) == 2:
            parts = [0, *parts]
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    seconds = 0.0
    position = 0
    found = False
    for match in _DURATION_PART.finditer(value):
        if value[position : match.start()].strip():
            raise ValueError(text)
        number = float(match.group(1).replace(",", "."))
        unit = match.group(2)[0]
        seconds += number * {"h": 3600, "m": 60, "s": 1}[unit]
        position = match.end()
        found = True
    if not found or value[position:].strip():
        raise ValueError(text)
    return round(seconds)


_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_NUMERIC = re.compile(
    r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})\.?,?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
    r"\s*([AaPp])?\.?\s*(?:[Mm]\.?)?"
)
_NAMED = (
    "%b %d %Y %I:%M %p",
    "%b %d %Y %I:%M:%S %p",
    "%B %d %Y %I:%M %p",
    "%B %d %Y %I:%M:%S %p",
    "%b %d %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%d %B %Y %H:%M:%S",
    "%d %b %Y %I:%M %p",
    "%d %b %Y %I:%M:%S %p",
)


def parse_moment(text: str, *, webinar_date: date, zone: tzinfo) -> datetime:
    """An aware datetime from the report's wall-clock time in ``zone``. Raises ValueError."""
    value = " ".join(text.strip().split())
    match = _ISO.fullmatch(value)
    if match:
        y, mo, d, h, mi = (int(match.group(i)) for i in range(1, 6))
        s = int(match.group(6) or 0)
        offset = match.group(7)
        if offset:
            return datetime.fromisoformat(
                f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
                + ("+00:00" if offset == "Z" else offset)
            ).astimezone(zone)
        return datetime(y, mo, d, h, mi, s, tzinfo=zone)
    match = _NUMERIC.fullmatch(value)
    if match:
        a, b, c = match.group(1), int(match.group(2)), match.group(3)
        h, mi, s = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
        meridian = (match.group(7) or "").lower()
        if meridian:
            if not 1 <= h <= 12:
                raise ValueError(text)
            h = h % 12 + (12 if meridian == "p" else 0)
        if len(a) == 4:
            candidates = [(int(a), b, int(c))]
        else:
            year = int(c) + (2000 if len(c) == 2 else 0)
            candidates = [(year, int(a), b), (year, b, int(a))]  # month first, day first
        days = []
        for year, month, day in candidates:
            try:
                days.append(date(year, month, day))
            except ValueError:
                continue
        if not days:
            raise ValueError(text)
        best = min(days, key=lambda d: abs((d - webinar_date).days))
        return datetime(best.year, best.month, best.day, h, mi, s, tzinfo=zone)
    plain = value.replace(",", " ")
    plain = " ".join(plain.split())
    for pattern in _NAMED:
        try:
            moment = datetime.strptime(plain, pattern)
        except ValueError:
            continue
        return moment.replace(tzinfo=zone)
    raise ValueError(text)


# ------------------------------------------------------------------------------ columns

COLUMNS = {
    "name": (
        "name (original name)",
        "user name (original name)",
        "name",
        "display name",
        "full name",
        "participant name",
        "attendee name",
        "user name",
    ),
    "first_name": ("first name",),
    "last_name": ("last name",),
    "email": ("user email", "email", "e-mail", "attendee email", "email address", "user e-mail"),
    "upn": ("participant id (upn)",),
    "join": ("join time", "first join", "first join time", "date & time joined", "joined"),
    "leave": ("leave time", "last leave", "last leave time", "date & time left", "left"),
    "duration": (
        "duration (minutes)",
        "time in session (minutes)",
        "in-meeting duration",
        "attendance duration",
        "duration",
    ),
    "role": ("role", "user role", "participant role"),
    "attended": ("attended",),
    "waiting_room": ("in waiting room",),
}
HOST_ROLES = ("organi", "presenter", "host", "panelist", "panellist", "moderator", "speaker")
SECTION_TITLE = re.compile(
    r"(\d+\.\s*\D.*|.*details|attendee report|other attended|meeting summary|summary|"
    r"participants|in-meeting activities|panelist report|host report)"
)


def _columns(cells: Sequence[str]) -> dict[str, int]:
    lowered = [_norm(c) for c in cells]
    found: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in lowered:
                found[key] = lowered.index(name)
                break
    return found


def _is_header(cells: Sequence[str]) -> bool:
    columns = _columns(cells)
    has_person = "name" in columns or "first_name" in columns
    has_time = "join" in columns or "duration" in columns
    return has_person and has_time and len(cells) >= 3


def _is_title(cells: Sequence[str]) -> bool:
    return len(cells) == 1 and bool(SECTION_TITLE.fullmatch(_norm(cells[0])))


def recognise(rows: Sequence[tuple[int, list[str]]]) -> str:
    """The report's format, from its headers and section titles."""
    titles = {_norm(cells[0]) for _, cells in rows if _is_title(cells)}
    headers = [set(_norm(c) for c in cells) for _, cells in rows if _is_header(cells)]
    if not headers:
        raise UnusableFile("unknown_format", line=1)
    every = set().union(*headers)
    if "attended" in every and "time in session (minutes)" in every:
        return ZOOM_WEBINAR
    if "attendee details" in titles or "attendee report" in titles:
        return ZOOM_WEBINAR
    if every & {"name (original name)", "user name (original name)"}:
        return ZOOM_MEETING
    if every & {"in-meeting duration", "participant id (upn)", "first join", "last leave"}:
        return TEAMS
    if any(t.startswith(("1. summary", "2. participants")) for t in titles):
        return TEAMS
    if every & {"attendee email", "attendance duration", "date & time joined"}:
        return WEBEX
    raise UnusableFile("unknown_format", line=1)


# ------------------------------------------------------------------------------ reading


@dataclass
class _Section:
    title: str
    header_line: int
    header: list[str]
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]]


def _sections(rows: Sequence[tuple[int, list[str]]]) -> tuple[list[_Section], dict[str, str]]:
    """The tables of the report (each under its header, named by the title above it) and the
    summary's values ({lower-case label: value}, from a label row above a value row)."""
    sections: list[_Section] = []
    summary: dict[str, str] = {}
    title = ""
    current: _Section | None = None
    previous: list[str] = []
    for line, cells in rows:
        if not cells:
            current = None
            previous = []
            continue
        if _is_title(cells):
            title = _norm(cells[0])
            current = None
            previous = []
            continue
        if _is_header(cells):
            current = _Section(title, line, cells, _columns(cells), [])
            sections.append(current)
            continue
        if current is not None:
            current.rows.append((line, cells))
            continue
        # Outside a table: a summary. "Label<sep>value" pairs (Teams) or a header row then
        # a values row (Zoom).
        if len(cells) == 2 and not previous:
            summary.setdefault(_norm(cells[0]), cells[1])
        if previous and len(cells) <= len(previous):
            for label, value in zip(previous, cells, strict=False):
                summary.setdefault(_norm(label), value)
            previous = []
        else:
            previous = cells
    return sections, summary


def _role(value: str, section_title: str) -> str:
    text = _norm(value)
    if text and any(word in text for word in HOST_ROLES):
        return HOST
    if section_title.startswith(("host", "panelist")):
        return HOST
    return ATTENDEE


def _get(cells: Sequence[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def read(data: bytes, *, webinar_date: date, zone: tzinfo) -> Report:
    """Read an attendance report. Raises ``UnusableFile`` when nothing can be read from it."""
    text = decode(data)
    rows, widths = _lines(text)
    if not any(cells for _, cells in rows):
        raise UnusableFile("empty", line=1)
    kind = recognise(rows)
    sections, summary = _sections(rows)
    last_line = rows[-1][0]
    if not any(section.rows for section in sections):
        header_line = sections[-1].header_line if sections else last_line
        raise UnusableFile("no_rows", line=header_line)
    ended_cleanly = text.endswith(("\n", "\r"))
    report = Report(format=kind, rows=[], unreadable=[])
    report.title = next(
        (summary[k] for k in ("topic", "meeting title", "title", "meeting name") if k in summary),
        "",
    )
    hosts_named = {
        _norm(summary[k]) for k in ("host", "host name", "organizer", "organiser") if k in summary
    }
    hosts_named |= {_norm(summary[k]) for k in ("user email", "host email") if k in summary}
    for section in sections:
        if kind == TEAMS and "in-meeting activities" not in section.title:
            # The participants' table: first join and last leave are not one stay;
            # "In-meeting duration" is the time present.
            spans = False
        else:
            spans = True
        for line, cells in section.rows:
            short = widths[line] < widths[section.header_line]
            if short and line == last_line and not ended_cleanly:
                raise UnusableFile(
                    "truncated",
                    line=line,
                    detail=(
                        f"the last row has {widths[line]} of {widths[section.header_line]} columns."
                    ),
                )
            row = _row(
                line,
                cells,
                section,
                spans=spans,
                hosts_named=hosts_named,
                webinar_date=webinar_date,
                zone=zone,
            )
            if isinstance(row, Unreadable):
                report.unreadable.append(row)
            elif row is not None:
                report.rows.append(row)
    joins = [start for row in report.rows for start, _ in row.intervals]
    report.first_join = min(joins) if joins else None
    return report


def _row(
    line: int,
    cells: list[str],
    section: _Section,
    *,
    spans: bool,
    hosts_named: set[str],
    webinar_date: date,
    zone: tzinfo,
) -> Row | Unreadable | None:
    columns = section.columns
    attended = _norm(_get(cells, columns, "attended"))
    if attended in ("no", "non", "false", "0"):
        return None  # a registrant who did not come
    if _norm(_get(cells, columns, "waiting_room")) in ("yes", "true"):
        return None  # time in the waiting room is not attendance
    name = _get(cells, columns, "name")
    if not name:
        name = " ".join(
            p for p in (_get(cells, columns, "first_name"), _get(cells, columns, "last_name")) if p
        )
    name = " ".join(name.split())
    email = _get(cells, columns, "email").strip()
    if not email and "@" in _get(cells, columns, "upn"):
        email = _get(cells, columns, "upn").strip()
    if "@" not in email:
        email = ""
    if not name and not email:
        return Unreadable(line, Problem("no_person"))
    role = _role(_get(cells, columns, "role"), section.title)
    marker = re.search(r"\s*\((host|co-host|cohost)\)$", name, flags=re.IGNORECASE)
    if marker:
        name = name[: marker.start()]
        role = HOST
    if _norm(name) in hosts_named or (email and _norm(email) in hosts_named):
        role = HOST
    join_text = _get(cells, columns, "join")
    leave_text = _get(cells, columns, "leave")
    duration_text = _get(cells, columns, "duration")
    seconds: int | None = None
    if duration_text and duration_text != "--":
        try:
            seconds = parse_duration(duration_text)
        except ValueError:
            return Unreadable(line, Problem("bad_duration", {"value": duration_text}))
    intervals: tuple[tuple[datetime, datetime], ...] = ()
    if spans and join_text and join_text != "--":
        try:
            start = parse_moment(join_text, webinar_date=webinar_date, zone=zone)
        except ValueError:
            return Unreadable(line, Problem("bad_time", {"value": join_text}))
        end: datetime | None = None
        if leave_text and leave_text != "--":
            try:
                end = parse_moment(leave_text, webinar_date=webinar_date, zone=zone)
            except ValueError:
                return Unreadable(line, Problem("bad_time", {"value": leave_text}))
        elif seconds is not None:
            end = start + timedelta(seconds=seconds)
        if end is not None:
            if end < start:
                return Unreadable(line, Problem("leave_before_join"))
            intervals = ((start, end),)
    if not intervals and seconds is None:
        return Unreadable(line, Problem("no_time"))
    return Row(
        line=line,
        name=name,
        email=email,
        role=role,
        intervals=intervals,
        seconds=None if intervals else seconds,
    )


# ------------------------------------------------------------------------------ folding


def union_seconds(intervals: Iterable[tuple[datetime, datetime]]) -> float:
    """The length of the union of the intervals, in seconds."""
    total = 0.0
    current: tuple[datetime, datetime] | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += (current[1] - current[0]).total_seconds()
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        total += (current[1] - current[0]).total_seconds()
    return total


def fold(rows: Iterable[Row]) -> list[Person]:
    """One person per e-mail address (case-insensitive), else per name; a row without an
    address joins the one person with an address who has the same name (a second device).

    Minutes: the union of the person's join–leave intervals when any row has them, else the sum
    of the durations given; rounded down. A person is a host when any of their rows says so."""
    by_key: dict[str, list[Row]] = {}
    names_of_addresses: dict[str, set[str]] = {}
    rows = list(rows)
    for row in rows:
        if row.email:
            key = row.email.lower()
            by_key.setdefault(key, []).append(row)
            names_of_addresses.setdefault(_norm(row.name), set()).add(key)
    for row in rows:
        if row.email:
            continue
        addresses = names_of_addresses.get(_norm(row.name), set())
        key = next(iter(addresses)) if len(addresses) == 1 else "name:" + _norm(row.name)
        by_key.setdefault(key, []).append(row)
    people = []
    for group in by_key.values():
        intervals = [interval for row in group for interval in row.intervals]
        if intervals:
            seconds = union_seconds(intervals)
        else:
            seconds = float(sum(row.seconds or 0 for row in group))
        email = next((row.email for row in group if row.email), "")
        name = next((row.name for row in group if row.name), "")
        people.append(
            Person(
                key=email.lower() if email else name,
                name=name,
                email=email,
                is_host=any(row.role == HOST for row in group),
                minutes=math.floor(seconds / 60 + 1e-9),
                lines=tuple(sorted(row.line for row in group)),
            )
        )
    return sorted(people, key=lambda p: (p.name.casefold(), p.key))
