"""Reading and checking a directory import (CSV or XLSX) before anything is written.

The flow: the upload is read into a table (``read_table``), kept on disk under
``VAR_DIR/imports/`` (``store_upload``), and checked row by row against the database
(``check_rows``). The secretariat sees every row's action; the confirmation reads the kept
file again, checks it again, and passes the rows to ``operations.import_organisations``.
"""

from __future__ import annotations

import csv
import io
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deepdive.core.exports import csv_writer, restore
from deepdive.core.refusals import Refused
from deepdive.reference.models import ActionGroup, Country, PartnerType, Sector, Theme

from ..models import Organisation, OrganisationDomain, is_valid_domain
from ..operations import OrganisationWrite, snapshot

#: Columns an import reads, in the order of the template and the export.
COLUMNS = [
    "id",
    "name",
    "acronym",
    "partner_type",
    "countries",
    "website",
    "action_groups",
    "themes",
    "sectors",
    "domains",
    "description",
]
#: Columns the export adds for readers; an import ignores them.
EXPORT_ONLY_COLUMNS = ["country_names", "verified_contacts"]
MAX_ROWS = 5000
SESSION_KEY = "directory_imports"
TOKEN_RE = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")
KEEP_UPLOADS_SECONDS = 24 * 3600

_LABELS = {
    "name": _("name"),
    "acronym": _("acronym"),
    "partner_type": _("partner type"),
    "countries": _("countries"),
    "website": _("website"),
    "action_groups": _("Action Groups"),
    "themes": _("themes"),
    "sectors": _("sectors"),
    "domains": _("e-mail domains"),
    "description": _("description"),
}


class ImportFileError(Refused):
    """The file cannot be read as a table; the message says what to do."""


# ----------------------------------------------------------------------------- reading


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, {column: text})
    ignored_columns: list[str] = field(default_factory=list)


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    # A text our export wrote with a leading "'" (so no spreadsheet runs it) reads back as it was.
    return restore(str(value).strip()).strip()


def _table(raw_rows: list[tuple[int, list[str]]]) -> Table:
    if not raw_rows:
        raise ImportFileError(gettext("The file is empty: its first row must name the columns."))
    header_line, header = raw_rows[0]
    columns = [_normalise_header(h) for h in header]
    seen = set()
    for column in columns:
        if column and column in seen:
            raise ImportFileError(
                gettext("The column “%(column)s” appears twice in the header row.")
                % {"column": column}
            )
        seen.add(column)
    if "name" not in columns:
        raise ImportFileError(
            gettext(
                "The first row has no “name” column. The first row must name the columns: "
                "%(columns)s (download the template)."
            )
            % {"columns": ", ".join(COLUMNS)}
        )
    ignored = [c for c in columns if c and c not in COLUMNS and c not in EXPORT_ONLY_COLUMNS]
    rows = []
    for line, values in raw_rows[1:]:
        values = [_cell(v) for v in values]
        if not any(values):
            continue
        row = {
            column: (values[i] if i < len(values) else "")
            for i, column in enumerate(columns)
            if column in COLUMNS
        }
        rows.append((line, row))
    if not rows:
        raise ImportFileError(gettext("The file has a header row but no organisations under it."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has %(count)s rows; import at most %(max)s at a time.")
            % {"count": len(rows), "max": MAX_ROWS}
        )
    return Table(columns=[c for c in columns if c in COLUMNS], rows=rows, ignored_columns=ignored)


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError(
            gettext(
                "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” "
                "(or as .xlsx) and upload it again."
            )
        ) from e
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _table([(reader.line_num, row) for row in reader])
    except csv.Error as e:
        raise ImportFileError(
            gettext("The file cannot be read as CSV (%(error)s). Save it again as CSV UTF-8.")
            % {"error": e}
        ) from e


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(
            gettext(
                "The file cannot be read as an Excel workbook. Save it again as .xlsx "
                "(or as CSV UTF-8) and upload it again."
            )
        ) from e
    try:
        if not workbook.worksheets:
            raise ImportFileError(gettext("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        raw = [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return _table(raw)


def read_table(content: bytes, extension: str) -> Table:
    """The rows of a CSV (UTF-8, with or without BOM; comma or semicolon) or XLSX file."""
    if extension == "xlsx":
        return _read_xlsx(content)
    return _read_csv(content)


# ----------------------------------------------------------------------------- keeping files


def _upload_dir() -> Path:
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def store_upload(content: bytes, extension: str) -> str:
    """Keep an uploaded file until it is confirmed; returns its token ``<uuid>.<ext>``.
    Files older than a day are removed on the way."""
    directory = _upload_dir()
    cutoff = time.time() - KEEP_UPLOADS_SECONDS
    for old in directory.iterdir():
        if TOKEN_RE.match(old.name) and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = f"{uuid.uuid4().hex}.{extension}"
    (directory / token).write_bytes(content)
    return token


def load_upload(token: str) -> bytes | None:
    if not TOKEN_RE.match(token):
        return None
    path = _upload_dir() / token
    return path.read_bytes() if path.is_file() else None


def delete_upload(token: str) -> None:
    if TOKEN_RE.match(token):
        (_upload_dir() / token).unlink(missing_ok=True)


def remember_upload(session, token: str, user) -> None:
    """Note in the session that ``user`` uploaded ``token``."""
    uploads = dict(session.get(SESSION_KEY, {}))
    uploads[token] = user.pk
    session[SESSION_KEY] = uploads


def upload_belongs_to(session, token: str, user) -> bool:
    return session.get(SESSION_KEY, {}).get(token) == user.pk


def forget_upload(session, token: str) -> None:
    uploads = dict(session.get(SESSION_KEY, {}))
    uploads.pop(token, None)
    session[SESSION_KEY] = uploads
    delete_upload(token)


# ----------------------------------------------------------------------------- checking


@dataclass
class RowResult:
    line: int
    name: str
    action: str = ""  # create | update | unchanged | error
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    errors: list[str] = field(default_factory=list)
    write: OrganisationWrite | None = None

    @property
    def css(self) -> str:
        return "row-error" if self.errors else f"row-{self.action}"


@dataclass
class ImportPreview:
    rows: list[RowResult]
    ignored_columns: list[str]

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.rows)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.has_errors

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def writes(self) -> list[OrganisationWrite]:
        return [r.write for r in self.rows if r.write is not None]


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]


class _Lookup:
    """Reference rows by code, stored name or translated name, case-insensitive."""

    def __init__(self, rows, extra_keys=None):
        self.rows = list(rows)
        self.by_key: dict[str, Any] = {}
        for row in self.rows:
            keys = [row.code, row.name, str(row)] + (extra_keys(row) if extra_keys else [])
            for key in keys:
                if key:
                    self.by_key.setdefault(key.strip().casefold(), row)

    def get(self, text: str):
        return self.by_key.get(text.strip().casefold())

    def resolve(self, text: str) -> tuple[list, list[str]]:
        """Rows named in ``text`` (separated by ; or ,) and the pieces not recognised.
        A piece is first matched whole, so a name holding a comma still matches."""
        found, unknown = [], []
        for piece in _split(text):
            row = self.get(piece)
            if row is not None:
                found.append(row)
                continue
            for part in (p.strip() for p in piece.split(",") if p.strip()):
                row = self.get(part)
                if row is None:
                    unknown.append(part)
                else:
                    found.append(row)
        unique = list({getattr(r, "pk", id(r)): r for r in found}.values())
        return unique, unknown

    def valid_names(self) -> str:
        return ", ".join(f"{r.code} ({r})" for r in self.rows)


class _Checker:
    def __init__(self, columns: list[str]):
        self.columns = columns
        self.partner_types = _Lookup(PartnerType.objects.all())
        self.countries = _Lookup(
            Country.objects.all(), extra_keys=lambda c: [c.localized_name("en")]
        )
        self.action_groups = _Lookup(ActionGroup.objects.all())
        self.themes = _Lookup(Theme.objects.all())
        self.sectors = _Lookup(Sector.objects.all())
        self.url_validator = URLValidator(schemes=["http", "https"])
        self.names_seen: dict[str, int] = {}
        self.ids_seen: dict[int, int] = {}
        self.domains_seen: dict[str, int] = {}
        self.domain_owner = {
            d.domain: d.organisation
            for d in OrganisationDomain.objects.select_related("organisation")
        }
        # One query for the whole file: matching each row by name in the database took
        # a query per row (bench/README.md).
        self.active_by_name: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.active():
            self.active_by_name.setdefault(organisation.name.strip().casefold(), []).append(
                organisation
            )

    # Each check returns the value to write, adding messages to ``errors``.

    def _organisation(self, row: dict[str, str], line: int, errors: list[str]):
        raw_id = row.get("id", "").strip()
        name = row.get("name", "").strip()
        if raw_id:
            if not raw_id.isdigit():
                errors.append(
                    gettext(
                        "Column “id”: “%(value)s” is not a number. Give the id of an existing "
                        "organisation, or leave id empty to add a new organisation."
                    )
                    % {"value": raw_id}
                )
                return None
            pk = int(raw_id)
            if pk in self.ids_seen:
                errors.append(
                    gettext(
                        "Column “id”: %(id)s is also on line %(line)s; each organisation may "
                        "appear only once in the file."
                    )
                    % {"id": pk, "line": self.ids_seen[pk]}
                )
            self.ids_seen.setdefault(pk, line)
            organisation = Organisation.objects.select_related("merged_into").filter(pk=pk).first()
            if organisation is None:
                errors.append(
                    gettext(
                        "No organisation has id %(id)s; leave id empty to add a new organisation."
                    )
                    % {"id": pk}
                )
                return None
            if organisation.merged_into_id:
                errors.append(
                    gettext(
                        "Organisation %(id)s (%(name)s) was merged into %(other)s; use id "
                        "%(other_id)s instead."
                    )
                    % {
                        "id": pk,
                        "name": organisation.name,
                        "other": organisation.merged_into.name,
                        "other_id": organisation.merged_into_id,
                    }
                )
                return None
            return organisation
        if not name:
            return None
        matches = self.active_by_name.get(name.casefold(), [])
        if len(matches) > 1:
            errors.append(
                gettext(
                    "Column “name”: several organisations are named “%(name)s”; give the id "
                    "of the one to update."
                )
                % {"name": name}
            )
            return None
        return matches[0] if matches else None

    def _name(self, row, line, errors) -> str:
        name = " ".join(row.get("name", "").split())
        if not name:
            errors.append(gettext("Column “name” is empty: every organisation needs a name."))
            return name
        if len(name) > 200:
            errors.append(gettext("Column “name” is longer than 200 characters; shorten it."))
        key = name.casefold()
        if key in self.names_seen:
            errors.append(
                gettext(
                    "Column “name”: “%(name)s” is also on line %(line)s; each organisation may "
                    "appear only once in the file."
                )
                % {"name": name, "line": self.names_seen[key]}
            )
        self.names_seen.setdefault(key, line)
        return name

    def _partner_type(self, value: str, errors):
        partner_type = self.partner_types.get(value) if value else None
        if partner_type is None:
            if value:
                message = gettext(
                    "Column “partner_type”: “%(value)s” is not a partner type. Use one of: "
                    "%(valid)s."
                )
            else:
                message = gettext("Column “partner_type” is empty. Use one of: %(valid)s.")
            errors.append(message % {"value": value, "valid": self.partner_types.valid_names()})
        return partner_type

    def _countries(self, value: str, errors):
        found, unknown = self.countries.resolve(value)
        for piece in unknown:
            errors.append(
                gettext(
                    "Column “countries”: “%(value)s” is not a country we know. Use ISO codes "
                    "such as FR or English names such as France, separated by “;”."
                )
                % {"value": piece}
            )
        return found

    def _coded(self, column: str, lookup: _Lookup, value: str, errors):
        found, unknown = lookup.resolve(value)
        for piece in unknown:
            errors.append(
                gettext(
                    "Column “%(column)s”: “%(value)s” is unknown. Use codes or names from: "
                    "%(valid)s, separated by “;”."
                )
                % {"column": column, "value": piece, "valid": lookup.valid_names()}
            )
        return found

    def _website(self, value: str, errors) -> str:
        if not value:
            return ""
        try:
            self.url_validator(value)
        except ValidationError:
            errors.append(
                gettext(
                    "Column “website”: “%(value)s” is not a web address. Write the full "
                    "address, starting with https://"
                )
                % {"value": value}
            )
        if len(value) > 200:
            errors.append(gettext("Column “website” is longer than 200 characters."))
        return value

    def _domains(self, value: str, line: int, organisation, errors) -> list[str]:
        domains = []
        for piece in re.split(r"[\s,;]+", value):
            domain = piece.strip().lower().lstrip("@")
            if not domain or domain in domains:
                continue
            domains.append(domain)
            if not is_valid_domain(domain):
                errors.append(
                    gettext(
                        "Column “domains”: “%(value)s” is not a valid e-mail domain. Write "
                        "domains like example.org, separated by “;”."
                    )
                    % {"value": piece.strip()}
                )
                continue
            owner = self.domain_owner.get(domain)
            if owner is not None and (organisation is None or owner.pk != organisation.pk):
                errors.append(
                    gettext(
                        "Column “domains”: %(domain)s already belongs to %(owner)s (id "
                        "%(id)s). Remove it here, or from %(owner)s first."
                    )
                    % {"domain": domain, "owner": owner.name, "id": owner.pk}
                )
            if domain in self.domains_seen:
                errors.append(
                    gettext(
                        "Column “domains”: %(domain)s is also on line %(line)s; a domain belongs "
                        "to one organisation only."
                    )
                    % {"domain": domain, "line": self.domains_seen[domain]}
                )
            self.domains_seen.setdefault(domain, line)
        return domains

    def check(self, line: int, row: dict[str, str]) -> RowResult:
        errors: list[str] = []
        columns = self.columns
        organisation = self._organisation(row, line, errors)
        name = self._name(row, line, errors)
        result = RowResult(line=line, name=name or row.get("id", ""), errors=errors)

        fields: dict[str, Any] = {"name": name}
        if "acronym" in columns:
            fields["acronym"] = row["acronym"].strip()
            if len(fields["acronym"]) > 30:
                errors.append(gettext("Column “acronym” is longer than 30 characters."))
        if "partner_type" in columns:
            fields["partner_type"] = self._partner_type(row["partner_type"].strip(), errors)
        elif organisation is None:
            errors.append(
                gettext(
                    "The file has no “partner_type” column, which a new organisation needs. "
                    "Use one of: %(valid)s."
                )
                % {"valid": self.partner_types.valid_names()}
            )
        if "countries" in columns:
            fields["countries"] = self._countries(row["countries"], errors)
        if "website" in columns:
            fields["website"] = self._website(row["website"].strip(), errors)
        for column, lookup in (
            ("action_groups", self.action_groups),
            ("themes", self.themes),
            ("sectors", self.sectors),
        ):
            if column in columns:
                fields[column] = self._coded(column, lookup, row[column], errors)
        if "description" in columns:
            fields["description"] = row["description"].strip()
        domains = (
            self._domains(row["domains"], line, organisation, errors)
            if "domains" in columns
            else None
        )

        if errors:
            result.action = "error"
            return result
        if organisation is not None and not row.get("id", "").strip():
            # Found by its name, whatever the case: keep the name as it is written.
            fields["name"] = organisation.name
        result.write = OrganisationWrite(organisation=organisation, fields=fields, domains=domains)
        result.changes = self._changes(organisation or Organisation(), fields, domains)
        if organisation is None:
            result.action = "create"
        else:
            result.action = "update" if result.changes else "unchanged"
        return result

    def _changes(self, organisation, fields, domains) -> list[tuple[str, str, str]]:
        """(label, old, new) of each field the row changes; for a new organisation, each
        field the row fills."""
        before = snapshot(organisation)
        names = {
            "partner_type": {r.code: str(r) for r in self.partner_types.rows},
            "countries": {r.code: r.code for r in self.countries.rows},
            "action_groups": {r.code: str(r) for r in self.action_groups.rows},
            "themes": {r.code: str(r) for r in self.themes.rows},
            "sectors": {r.code: str(r) for r in self.sectors.rows},
        }
        after = {}
        for key, value in fields.items():
            if key == "partner_type":
                after[key] = value.code
            elif isinstance(value, list):
                after[key] = sorted(v.code for v in value)
            else:
                after[key] = value
        if domains is not None:
            after["domains"] = sorted(domains)
        changes = []
        for key, new in after.items():
            old = before.get(key)
            if old == new:
                continue
            show = names.get(key, {})
            if isinstance(new, list):
                old_text = "; ".join(show.get(v, v) for v in old)
                new_text = "; ".join(show.get(v, v) for v in new)
            else:
                old_text, new_text = show.get(old, old), show.get(new, new)
            changes.append((str(_LABELS.get(key, key)), old_text, new_text))
        return changes


def check_rows(table: Table) -> ImportPreview:
    """Check every row against the database and the other rows; nothing is written."""
    checker = _Checker(table.columns)
    return ImportPreview(
        rows=[checker.check(line, row) for line, row in table.rows],
        ignored_columns=table.ignored_columns,
    )


def template_csv() -> str:
    """An empty import file: the header row only."""
    buffer = io.StringIO()
    csv_writer(buffer).writerow(COLUMNS)
    return buffer.getvalue()
