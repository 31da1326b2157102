"""What a proposal says, field by field, listed once in ``FIELDS``.

Each field says how to read it from what a form hands over (``ProposalData``), how to read the
same from a saved proposal (to see whether a post changes anything), how the audit trail shows
it, and how to write it. ``entered``, ``saved``, ``shown``, ``changes`` and ``write`` are derived
from that list: a new field is one entry in ``FIELDS`` (and its attribute in ``ProposalData``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from deepdive.core.text import one_line
from deepdive.directory.models import Organisation
from deepdive.reference.models import Country, Outcome, Sector, Theme
from deepdive.reference.queries import pathfinder_codes

from ..models import CoSubmitter, Proposal, Speaker
from .near_duplicates import refresh_near_duplicates

# --- What a form hands to the operations ---------------------------------------------------


@dataclass(frozen=True)
class SpeakerData:
    name: str
    organisation: str = ""
    role: str = ""
    email: str = ""
    gender: str = ""

    def __post_init__(self) -> None:
        # One-line fields stay on one line whoever calls (a form, an import, a test).
        for name in ("name", "organisation", "role", "email"):
            object.__setattr__(self, name, one_line(getattr(self, name)))


@dataclass(frozen=True)
class ProposalData:
    """Everything a member enters about a proposal, already parsed by the form."""

    lead_organisation: Organisation
    contact_name: str = ""
    contact_email: str = ""
    title: str = ""
    description: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO codes
    language: str = ""
    interpretation: list[str] = field(default_factory=list)
    preferred_months: list[int] = field(default_factory=list)
    unavailable_dates: str = ""
    speakers: list[SpeakerData] = field(default_factory=list)
    co_organisations: list[Organisation] = field(default_factory=list)
    unlisted_organisations: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # One-line fields stay on one line whoever calls: a line break in a title or a name
        # would split a line of the e-mails that quote it.
        for entry in FIELDS:
            if entry.one_line:
                object.__setattr__(self, entry.name, one_line(getattr(self, entry.name)))


# --- One field ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One thing a proposal says.

    ``entered`` reads it from the form's data, as it would be saved; ``saved`` reads the same
    from a saved proposal (the two are compared: equal everywhere means nothing changes).
    ``shown`` is how the audit trail shows it (its ``changes`` hold the old and new ``shown``).
    ``write`` copies it from the data onto the proposal: onto the row before it is saved, or,
    for a ``relation``, onto its related rows after. A field without ``entered`` is only shown
    (the status, or a summary of other fields); one without ``shown`` is compared and written
    but shown through another (the co-submitting organisations)."""

    name: str
    entered: Callable[[ProposalData], Any] | None = None
    saved: Callable[[Proposal], Any] | None = None
    shown: Callable[[Proposal], Any] | None = None
    write: Callable[[Proposal, ProposalData], None] | None = None
    relation: bool = False
    one_line: bool = False  # line breaks in the form's value become spaces

    def __post_init__(self) -> None:
        if (self.entered is None) != (self.saved is None):
            raise TypeError(f"{self.name}: a field compared needs both entered and saved")


def _stripped(value: str) -> str:
    return value.strip()


def _column(
    name: str,
    *,
    normalise: Callable[[Any], Any] = _stripped,
    saved: Callable[[Proposal], Any] | None = None,
    shown: Callable[[Proposal], Any] | None = None,
    one_line: bool = False,
) -> Field:
    """A column of the proposal, written as read from the data (``normalise``d); saved and
    shown as it is, unless said otherwise."""

    def entered(data: ProposalData) -> Any:
        return normalise(getattr(data, name))

    def write(proposal: Proposal, data: ProposalData) -> None:
        setattr(proposal, name, entered(data))

    def as_saved(proposal: Proposal) -> Any:
        return getattr(proposal, name)

    return Field(
        name,
        entered=entered,
        saved=saved or as_saved,
        shown=shown or as_saved,
        write=write,
        one_line=one_line,
    )


def _chosen(name: str, *, label: Callable[[Any], str]) -> Field:
    """A choice of reference rows (many to many), shown by ``label``."""

    def entered(data: ProposalData) -> list[Any]:
        return sorted({row.pk for row in getattr(data, name)})

    def saved(proposal: Proposal) -> list[Any]:
        return sorted(getattr(proposal, name).values_list("pk", flat=True))

    def shown(proposal: Proposal) -> str:
        return ", ".join(label(row) for row in getattr(proposal, name).all())

    def write(proposal: Proposal, data: ProposalData) -> None:
        getattr(proposal, name).set(getattr(data, name))

    return Field(name, entered=entered, saved=saved, shown=shown, write=write, relation=True)


def _country_codes(data: ProposalData) -> set[str]:
    return {c.upper() for c in data.countries}


def _countries_saved(proposal: Proposal) -> list[str]:
    return sorted(proposal.countries.values_list("pk", flat=True))


def _write_countries(proposal: Proposal, data: ProposalData) -> None:
    proposal.countries.set(Country.objects.filter(pk__in=_country_codes(data)))


def _write_includes_pathfinder(proposal: Proposal, data: ProposalData) -> None:
    proposal.includes_pathfinder = bool(_country_codes(data) & pathfinder_codes())


# --- Speakers and co-submitting organisations -----------------------------------------------


def _speakers_entered(data: ProposalData) -> list[tuple[str, str, str, str, str]]:
    return [
        (s.name.strip(), s.organisation.strip(), s.role.strip(), s.email.strip(), s.gender)
        for s in data.speakers
        if s.name.strip()
    ]


def _speakers_saved(proposal: Proposal) -> list[tuple[str, str, str, str, str]]:
    return [(s.name, s.organisation, s.role, s.email, s.gender) for s in proposal.speakers.all()]


def _write_speakers(proposal: Proposal, data: ProposalData) -> None:
    """Speakers in the order given; existing rows are updated in place, extra ones removed."""
    wanted = [s for s in data.speakers if s.name.strip()]
    existing = list(proposal.speakers.order_by("order", "id"))
    for order, entry in enumerate(wanted):
        values = {
            "name": entry.name.strip(),
            "organisation": entry.organisation.strip(),
            "role": entry.role.strip(),
            "email": entry.email.strip(),
            "gender": entry.gender,
            "order": order,
        }
        if order < len(existing):
            speaker = existing[order]
            for key, value in values.items():
                setattr(speaker, key, value)
            speaker.save()
        else:
            Speaker.objects.create(proposal=proposal, **values)
    Speaker.objects.filter(pk__in=[s.pk for s in existing[len(wanted) :]]).delete()


def _co_organisations_entered(data: ProposalData) -> list[int]:
    lead_id = data.lead_organisation.pk
    return sorted({o.pk for o in data.co_organisations if o.pk != lead_id})


def _co_organisations_saved(proposal: Proposal) -> list[int]:
    return sorted(
        proposal.co_submitters.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )


def _write_co_organisations(proposal: Proposal, data: ProposalData) -> None:
    """Keep the rows of organisations still listed (with their decisions), add new ones."""
    wanted = {o.pk: o for o in data.co_organisations if o.pk != proposal.lead_organisation_id}
    listed = {
        co.organisation_id: co for co in proposal.co_submitters.filter(organisation__isnull=False)
    }
    CoSubmitter.objects.filter(
        pk__in=[co.pk for org_id, co in listed.items() if org_id not in wanted]
    ).delete()
    confirm_needed = proposal.call.co_submitters_must_confirm
    for org_id, organisation in wanted.items():
        if org_id not in listed:
            CoSubmitter.objects.create(
                proposal=proposal,
                organisation=organisation,
                status=(
                    CoSubmitter.Status.PENDING if confirm_needed else CoSubmitter.Status.CONFIRMED
                ),
            )


def _unlisted_names(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:200]
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def _unlisted_entered(data: ProposalData) -> list[str]:
    return sorted(_unlisted_names(data.unlisted_organisations))


def _unlisted_saved(proposal: Proposal) -> list[str]:
    return sorted(
        proposal.co_submitters.filter(organisation__isnull=True).values_list(
            "unlisted_name", flat=True
        )
    )


def _write_unlisted(proposal: Proposal, data: ProposalData) -> None:
    """Organisations not in the directory, by name: kept while still named, added when new."""
    names = _unlisted_names(data.unlisted_organisations)
    unlisted = {
        co.unlisted_name.casefold(): co
        for co in proposal.co_submitters.filter(organisation__isnull=True)
    }
    keep = {name.casefold() for name in names}
    CoSubmitter.objects.filter(
        pk__in=[co.pk for key, co in unlisted.items() if key not in keep]
    ).delete()
    for name in names:
        if name.casefold() not in unlisted:
            CoSubmitter.objects.create(
                proposal=proposal, unlisted_name=name, status=CoSubmitter.Status.UNLISTED
            )


def _co_submitters_shown(proposal: Proposal) -> str:
    return "; ".join(
        f"{co} ({co.status})" for co in proposal.co_submitters.select_related("organisation")
    )


def _sorted_set(values: Iterable[Any]) -> list[Any]:
    return sorted(set(values))


def _months(values: Iterable[Any]) -> list[int]:
    return sorted({int(m) for m in values})


# --- The fields, in the order the audit trail shows them ------------------------------------

FIELDS: tuple[Field, ...] = (
    Field("status", shown=lambda p: p.status),
    Field(
        "lead_organisation",
        entered=lambda d: d.lead_organisation.pk,
        saved=lambda p: p.lead_organisation_id,
        shown=lambda p: str(p.lead_organisation),
        write=lambda p, d: setattr(p, "lead_organisation", d.lead_organisation),
    ),
    _column("contact_name", one_line=True),
    _column("contact_email", one_line=True),
    _column("title", one_line=True),
    _column("description"),
    _chosen("outcomes", label=lambda o: str(o.number)),
    _chosen("themes", label=lambda t: t.code),
    _chosen("sectors", label=lambda s: s.code),
    Field(
        "countries",
        entered=lambda d: sorted(_country_codes(d)),
        saved=_countries_saved,
        shown=lambda p: ", ".join(_countries_saved(p)),
        write=_write_countries,
        relation=True,
    ),
    Field(
        "includes_pathfinder",
        shown=lambda p: str(p.includes_pathfinder),
        write=_write_includes_pathfinder,
    ),
    _column("language", normalise=lambda v: v),
    _column(
        "interpretation",
        normalise=_sorted_set,
        saved=lambda p: sorted(p.interpretation or []),
        shown=lambda p: ", ".join(p.interpretation or []),
    ),
    _column(
        "preferred_months",
        normalise=_months,
        saved=lambda p: sorted(p.preferred_months or []),
        shown=lambda p: ", ".join(str(m) for m in p.preferred_months or []),
    ),
    _column("unavailable_dates"),
    Field(
        "speakers",
        entered=_speakers_entered,
        saved=_speakers_saved,
        shown=lambda p: "; ".join(s.name for s in p.speakers.all()),
        write=_write_speakers,
        relation=True,
    ),
    Field(
        "co_organisations",
        entered=_co_organisations_entered,
        saved=_co_organisations_saved,
        write=_write_co_organisations,
        relation=True,
    ),
    Field(
        "unlisted_organisations",
        entered=_unlisted_entered,
        saved=_unlisted_saved,
        write=_write_unlisted,
        relation=True,
    ),
    Field("co_submitters", shown=_co_submitters_shown),
)


# --- Derived from FIELDS --------------------------------------------------------------------


def entered(data: ProposalData) -> dict[str, Any]:
    """What ``data`` would save, field by field, to compare with ``saved``."""
    return {f.name: f.entered(data) for f in FIELDS if f.entered is not None}


def saved(proposal: Proposal) -> dict[str, Any]:
    """What ``proposal`` says as saved, field by field, to compare with ``entered``."""
    return {f.name: f.saved(proposal) for f in FIELDS if f.saved is not None}


def shown(proposal: Proposal) -> dict[str, Any]:
    """The proposal as the audit trail shows it."""
    return {f.name: f.shown(proposal) for f in FIELDS if f.shown is not None}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """The audit entry's ``changes``: [old, new] of every field ``shown`` differently."""
    return {
        key: [str(before.get(key, "")), str(value)]
        for key, value in after.items()
        if str(before.get(key, "")) != str(value)
    }


def write(proposal: Proposal, data: ProposalData) -> None:
    """Copy ``data`` onto ``proposal`` (saved) and its related rows, then work out its near
    duplicates again (written proposals are drafts or submitted: counted)."""
    for f in FIELDS:
        if f.write is not None and not f.relation:
            f.write(proposal, data)
    proposal.save()
    for f in FIELDS:
        if f.write is not None and f.relation:
            f.write(proposal, data)
    refresh_near_duplicates(proposal=proposal, counted=True)
