"""Writes to the partner directory. Every change goes through one of these functions.

Each function runs in one transaction and writes one audit entry (two for a merge).

Extension point for other apps: ``MERGE_STEPS``. When two organisations are merged, every
callable in that list is called as ``step(source, target)`` inside the merge's transaction,
after the directory's own rows have moved and before ``source.merged_into`` is set. An app
that keeps rows pointing at organisations (proposals, co-submissions, ...) moves them there::

    # myapp/apps.py
    class MyAppConfig(AppConfig):
        def ready(self):
            from deepdive.directory.operations import register_merge_step

            register_merge_step(move_my_rows)   # def move_my_rows(source, target) -> None

A step must not catch database errors: raising aborts the whole merge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from deepdive.core import audit
from deepdive.core.permissions import Actor, require_secretariat

from .actions import DirectoryAction
from .models import Affiliation, Organisation, OrganisationDomain

MergeStep = Callable[[Organisation, Organisation], None]

#: Callables ``(source, target) -> None`` run inside the merge transaction (see module doc).
MERGE_STEPS: list[MergeStep] = []

#: Plain fields an organisation form or import may set.
SCALAR_FIELDS = ["name", "acronym", "partner_type", "website", "description", "is_member"]
#: Many-to-many fields an organisation form or import may set.
M2M_FIELDS = ["countries", "action_groups", "themes", "sectors"]
#: Fields a merge copies from the source when the target's is empty.
FILLABLE_FIELDS = ["acronym", "website", "description", "logo"]

_STATUS_RANK: dict[str, int] = {
    Affiliation.Status.VERIFIED: 3,
    Affiliation.Status.PENDING: 2,
    Affiliation.Status.REJECTED: 1,
}


def register_merge_step(step: MergeStep) -> MergeStep:
    """Add ``step`` to MERGE_STEPS once (safe to call from several ``ready()``)."""
    if step not in MERGE_STEPS:
        MERGE_STEPS.append(step)
    return step


@dataclass
class OrganisationWrite:
    """One organisation to create (``organisation`` is None) or update, as an import row."""

    organisation: Organisation | None
    fields: dict[str, Any]
    domains: list[str] | None = None


# ----------------------------------------------------------------------------- helpers


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from ``name``, unique among organisations (``-2``, ``-3``... if needed)."""
    base = slugify(name)[:200] or "organisation"
    taken = Organisation.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken_slugs = set(taken.values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken_slugs:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def snapshot(organisation: Organisation) -> dict[str, Any]:
    """The organisation's values as strings, many-to-many fields and domains as sorted codes."""
    values: dict[str, Any] = {
        "name": organisation.name,
        "acronym": organisation.acronym,
        "partner_type": organisation.partner_type.code if organisation.partner_type_id else "",
        "website": organisation.website,
        "description": organisation.description,
        "is_member": str(organisation.is_member),
        "logo": organisation.logo.name or "",
    }
    if organisation.pk:
        values["countries"] = sorted(organisation.countries.values_list("code", flat=True))
        for name in ("action_groups", "themes", "sectors"):
            values[name] = sorted(getattr(organisation, name).values_list("code", flat=True))
        values["domains"] = sorted(organisation.domains.values_list("domain", flat=True))
    else:
        for name in [*M2M_FIELDS, "domains"]:
            values[name] = []
    return values


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    changed = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            changed[name] = [
                ", ".join(old) if isinstance(old, list) else str(old or ""),
                ", ".join(new) if isinstance(new, list) else str(new or ""),
            ]
    return changed


def _check_domains(organisation: Organisation | None, domains: Iterable[str]) -> None:
    taken = OrganisationDomain.objects.filter(domain__in=list(domains)).select_related(
        "organisation"
    )
    if organisation is not None and organisation.pk:
        taken = taken.exclude(organisation=organisation)
    for row in taken:
        raise ValidationError(
            _("The e-mail domain %(domain)s already belongs to %(organisation)s.")
            % {"domain": row.domain, "organisation": row.organisation}
        )


def _apply(
    organisation: Organisation, fields: dict[str, Any], domains: list[str] | None
) -> Organisation:
    """Set fields, save, set m2m and domains. The caller holds the transaction."""
    for name in SCALAR_FIELDS:
        if name in fields:
            setattr(organisation, name, fields[name])
    if "logo" in fields:
        logo = fields["logo"]
        if logo is False:  # "clear" ticked on the form
            organisation.logo = None
        elif isinstance(logo, UploadedFile):
            organisation.logo = logo
    if not organisation.slug:
        organisation.slug = unique_slug(organisation.name)
    organisation.save()
    for name in M2M_FIELDS:
        if name in fields:
            getattr(organisation, name).set(fields[name])
    if domains is not None:
        wanted = sorted({d.strip().lower() for d in domains if d.strip()})
        _check_domains(organisation, wanted)
        organisation.domains.exclude(domain__in=wanted).delete()
        existing = set(organisation.domains.values_list("domain", flat=True))
        OrganisationDomain.objects.bulk_create(
            OrganisationDomain(organisation=organisation, domain=d)
            for d in wanted
            if d not in existing
        )
    return organisation


# ----------------------------------------------------------------------------- services


def create_organisation(
    *, actor: Actor | None, fields: dict[str, Any], domains: list[str] | None = None
) -> Organisation:
    """Add an organisation to the directory.

    ``fields`` holds model field values (name, acronym, partner_type, website, description,
    is_member, logo, and lists for countries, action_groups, themes, sectors).

    Side effects: one Organisation row with a unique slug made from its name, its
    many-to-many rows and OrganisationDomain rows; the logo file saved under MEDIA_ROOT;
    one audit entry ``directory.create``. Raises ValidationError if a domain belongs to
    another organisation, PermissionDenied for anyone but the secretariat.
    """
    require_secretariat(actor)
    with transaction.atomic():
        organisation = _apply(Organisation(), fields, domains or [])
        after = snapshot(organisation)
        audit.record(
            actor=actor,
            action=DirectoryAction.CREATED,
            subject=organisation,
            summary=f"Organisation {organisation} added to the directory.",
            changes={k: v for k, v in _changes({}, after).items() if v[1]},
        )
    return organisation


def update_organisation(
    *,
    actor: Actor | None,
    organisation: Organisation,
    fields: dict[str, Any],
    domains: list[str] | None = None,
) -> dict[str, list[str]]:
    """Change an organisation; returns the changed fields as {field: [old, new]}.

    ``domains`` None leaves the e-mail domains as they are; a list replaces them.

    Side effects: the Organisation row, its many-to-many rows and OrganisationDomain rows
    updated; a new logo file saved under MEDIA_ROOT; one audit entry ``directory.update``
    listing the changed fields (none when nothing changed). The slug does not change, so
    links keep working. Raises ValidationError if a domain belongs to another organisation,
    PermissionDenied for anyone but the secretariat.
    """
    require_secretariat(actor)
    with transaction.atomic():
        # Compare with the stored row: a ModelForm has already set the new values on the
        # instance it was given.
        before = snapshot(Organisation.objects.select_for_update().get(pk=organisation.pk))
        _apply(organisation, fields, domains)
        changes = _changes(before, snapshot(organisation))
        if changes:
            audit.record(
                actor=actor,
                action=DirectoryAction.UPDATED,
                subject=organisation,
                summary=f"Organisation {organisation} changed: {', '.join(changes)}.",
                changes=changes,
            )
    return changes


def merge_organisations(
    *, actor: Actor | None, source: Organisation, target: Organisation
) -> Organisation:
    """Merge ``source`` into ``target``: the source disappears from the directory and its
    page redirects to the target's.

    Side effects, in one transaction:
    - the source's affiliations move to the target; a person affiliated to both keeps one
      affiliation with the better status (verified > pending > rejected), the other is
      deleted;
    - the source's e-mail domains move to the target;
    - the target gains the source's countries, Action Groups, themes and sectors;
    - the target's empty acronym, website, description and logo are filled from the source;
    - every step in MERGE_STEPS runs (other apps move their rows);
    - organisations earlier merged into the source now point at the target;
    - ``source.merged_into`` is set to the target;
    - one audit entry ``directory.merge`` on each of the two organisations.

    Raises ValidationError when merging an organisation into itself, or when either one has
    already been merged; PermissionDenied for anyone but the secretariat.
    """
    require_secretariat(actor)
    if source.pk == target.pk:
        raise ValidationError(_("An organisation cannot be merged into itself."))
    with transaction.atomic():
        source = Organisation.objects.select_for_update().get(pk=source.pk)
        target = Organisation.objects.select_for_update().get(pk=target.pk)
        for org in (source, target):
            if org.merged_into_id:
                raise ValidationError(
                    _("%(name)s has already been merged into %(other)s.")
                    % {"name": org, "other": org.merged_into}
                )

        moved = dropped = 0
        target_affiliations = {a.user_id: a for a in target.affiliations.all()}
        for affiliation in list(source.affiliations.all()):
            existing = target_affiliations.get(affiliation.user_id)
            if existing is None:
                affiliation.organisation = target
                affiliation.save(update_fields=["organisation"])
                moved += 1
            elif _STATUS_RANK[affiliation.status] > _STATUS_RANK[existing.status]:
                existing.delete()
                affiliation.organisation = target
                affiliation.save(update_fields=["organisation"])
                moved += 1
                dropped += 1
            else:
                affiliation.delete()
                dropped += 1

        domains = source.domains.update(organisation=target)

        for name in M2M_FIELDS:
            getattr(target, name).add(*getattr(source, name).all())
        filled = []
        for name in FILLABLE_FIELDS:
            if not getattr(target, name) and getattr(source, name):
                setattr(target, name, getattr(source, name))
                filled.append(name)
        target.save()

        for step in MERGE_STEPS:
            step(source, target)

        Organisation.objects.filter(merged_into=source).update(merged_into=target)
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])

        changes = {
            "affiliations_moved": moved,
            "affiliations_dropped": dropped,
            "domains_moved": domains,
            "fields_filled": filled,
            "source": source.pk,
            "target": target.pk,
        }
        summary = f"{source} merged into {target}."
        for subject in (source, target):
            audit.record(
                actor=actor,
                action=DirectoryAction.MERGED,
                subject=subject,
                summary=summary,
                changes=changes,
            )
    return target


def import_organisations(*, actor: Actor | None, rows: list[OrganisationWrite]) -> dict[str, int]:
    """Create and update organisations from validated import rows, all or nothing.

    Rows whose ``organisation`` is None are created; others are updated (only the fields in
    ``fields``; ``domains`` None leaves domains alone). Returns
    ``{"created": n, "updated": n, "unchanged": n}``.

    Side effects: Organisation, many-to-many and OrganisationDomain rows; one audit entry
    ``directory.import`` with the counts and each organisation's changed fields. Raises
    ValidationError (and writes nothing) if a domain turns out to belong to another
    organisation, PermissionDenied for anyone but the secretariat.
    """
    require_secretariat(actor)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    details: dict[str, Any] = {"created": [], "updated": {}}
    with transaction.atomic():
        for row in rows:
            if row.organisation is None:
                organisation = _apply(Organisation(), row.fields, row.domains or [])
                counts["created"] += 1
                details["created"].append(organisation.name)
                continue
            organisation = Organisation.objects.select_for_update().get(pk=row.organisation.pk)
            before = snapshot(organisation)
            _apply(organisation, row.fields, row.domains)
            changes = _changes(before, snapshot(organisation))
            if changes:
                counts["updated"] += 1
                details["updated"][organisation.name] = changes
            else:
                counts["unchanged"] += 1
        audit.record(
            actor=actor,
            action=DirectoryAction.IMPORTED,
            summary=(
                f"Directory import: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            ),
            changes={"counts": counts, **details},
        )
    return counts
