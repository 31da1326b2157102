"""Writes of series and calls, from the secretariat's pages and the admin; each leaves an
audit entry.

The secretariat's pages call ``create_*`` and ``update_*`` (secretariat only); the admin calls
``save_*`` and ``delete_*`` (staff only: the admin's own permissions say which staff).
"""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from deepdive.accounts.models import User
from deepdive.core import audit
from deepdive.core.permissions import is_signed_in, require, require_secretariat

from .actions import SeriesAction
from .models import Call, Series


def _require_staff(actor: User) -> None:
    """Refuse anyone who may not use the admin (the admin's own check, made again here)."""
    require(is_signed_in(actor) and actor.is_staff)


def save_series(*, actor: User, series: Series, changed: list[str] | None = None) -> Series:
    """Create or update a series (the admin). Raises PermissionDenied for anyone but staff.
    Side effects: the row; one audit entry."""
    _require_staff(actor)
    created = series.pk is None
    with transaction.atomic():
        series.save()
        audit.record(
            actor=actor,
            action=SeriesAction.SERIES_CREATED if created else SeriesAction.SERIES_UPDATED,
            subject=series,
            summary=series.title,
            changes={"fields": sorted(changed or [])},
        )
    return series


def save_call(*, actor: User, call: Call, changed: list[str] | None = None) -> Call:
    """Create or update a call for proposals (its instants already in UTC) from the admin.

    Raises PermissionDenied for anyone but staff. Side effects: the row; one audit entry,
    with the instants and the call's zone.
    """
    _require_staff(actor)
    created = call.pk is None
    with transaction.atomic():
        call.save()
        audit.record(
            actor=actor,
            action=SeriesAction.CALL_CREATED if created else SeriesAction.CALL_UPDATED,
            subject=call,
            summary=f"{call.series}: {call.title}",
            changes={
                "fields": sorted(changed or []),
                "opens_at": call.opens_at.isoformat(),
                "closes_at": call.closes_at.isoformat(),
                "timezone": call.timezone,
            },
        )
    return call


def delete_series(*, actor: User, series: Series) -> None:
    """Delete a series and its calls (the admin). Raises PermissionDenied for anyone but
    staff. Side effects: rows deleted; one audit entry."""
    _require_staff(actor)
    with transaction.atomic():
        audit.record(
            actor=actor, action=SeriesAction.SERIES_DELETED, subject=series, summary=series.title
        )
        series.delete()


def delete_call(*, actor: User, call: Call) -> None:
    """Delete a call (the admin). Raises PermissionDenied for anyone but staff. Side effects:
    the row deleted; one audit entry."""
    _require_staff(actor)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=SeriesAction.CALL_DELETED,
            subject=call,
            summary=f"{call.series}: {call.title}",
        )
        call.delete()


# ------------------------------------------------------------ the secretariat's own pages

SERIES_FIELDS = (
    "action_group",
    "title",
    "slug",
    "description",
    "languages",
    "colour_primary",
    "colour_accent",
    "texts",
)
CALL_FIELDS = (
    "title",
    "slug",
    "description",
    "background",
    "who_may_apply",
    "texts",
    "timezone",
    "opens_at",
    "closes_at",
    "word_limit",
    "seats",
    "co_submitters_must_confirm",
)
CALL_M2M = ("outcomes", "themes", "sectors")


def _unique_slug(title: str, taken: QuerySet, fallback: str) -> str:
    base = slugify(title)[:100] or fallback
    slugs = set(taken.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in slugs:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _snapshot(obj: Series | Call, names: tuple[str, ...], m2m: tuple[str, ...] = ()) -> dict:
    values: dict[str, Any] = {name: getattr(obj, name) for name in names}
    if isinstance(obj, Series):
        values["action_group"] = obj.action_group_id
    if isinstance(obj, Series):
        values["logo"] = obj.logo.name or ""
    for name in m2m:
        values[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    return values


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name, value in after.items() if before.get(name) != value)


def _apply_logo(series: Series, logo: Any) -> None:
    if logo is False:  # "clear" ticked on the form
        series.logo = None
    elif isinstance(logo, UploadedFile):
        series.logo = logo


def create_series(*, actor: User, fields: dict[str, Any]) -> Series:
    """Create a series from the secretariat's form.

    ``fields``: action_group, title, slug (empty: made from the title, unique), description,
    languages (the first is the main one), colour_primary, colour_accent, logo (an uploaded
    file or nothing), texts ({language: {"title", "description"}} for the other languages).

    Side effects: one Series row; the logo file saved under MEDIA_ROOT; one audit entry
    ``series.create`` listing the fields given. Raises PermissionDenied for anyone but the
    secretariat.
    """
    require_secretariat(actor)
    with transaction.atomic():
        series = Series()
        for name in SERIES_FIELDS:
            if name in fields:
                setattr(series, name, fields[name])
        if not series.slug:
            series.slug = _unique_slug(series.title, Series.objects.all(), "series")
        _apply_logo(series, fields.get("logo"))
        series.full_clean()
        series.save()
        changed = _changed({}, {k: v for k, v in _snapshot(series, SERIES_FIELDS).items() if v})
        audit.record(
            actor=actor,
            action=SeriesAction.SERIES_CREATED,
            subject=series,
            summary=series.title,
            changes={"fields": changed},
        )
    return series


def update_series(*, actor: User, series: Series, fields: dict[str, Any]) -> list[str]:
    """Change a series; returns the names of the fields that changed.

    Side effects: the Series row; a new logo file saved under MEDIA_ROOT; one audit entry
    ``series.update`` listing the changed fields (none when nothing changed). Raises
    PermissionDenied for anyone but the secretariat.
    """
    require_secretariat(actor)
    with transaction.atomic():
        stored = Series.objects.select_for_update().get(pk=series.pk)
        before = _snapshot(stored, SERIES_FIELDS)
        for name in SERIES_FIELDS:
            if name in fields:
                setattr(series, name, fields[name])
        if not series.slug:
            series.slug = stored.slug
        if "logo" in fields:
            series.logo = stored.logo
            _apply_logo(series, fields["logo"])
        series.full_clean()
        changed = _changed(before, _snapshot(series, SERIES_FIELDS))
        if changed:
            series.save()
            audit.record(
                actor=actor,
                action=SeriesAction.SERIES_UPDATED,
                subject=series,
                summary=series.title,
                changes={"fields": changed},
            )
    return changed


def _set_call_fields(call: Call, fields: dict[str, Any]) -> None:
    for name in CALL_FIELDS:
        if name in fields:
            setattr(call, name, fields[name])


def _set_call_m2m(call: Call, fields: dict[str, Any]) -> None:
    for name in CALL_M2M:
        if name in fields:
            getattr(call, name).set(fields[name])


def _call_audit(call: Call, changed: list[str]) -> dict:
    return {
        "fields": changed,
        "opens_at": call.opens_at.isoformat(),
        "closes_at": call.closes_at.isoformat(),
        "timezone": call.timezone,
    }


def create_call(*, actor: User, series: Series, fields: dict[str, Any]) -> Call:
    """Create a call of ``series`` from the secretariat's form.

    ``fields``: title, slug (empty: made from the title, unique in the series), description,
    background, who_may_apply, texts, timezone, opens_at and closes_at (instants), word_limit,
    seats, co_submitters_must_confirm, and lists for outcomes, themes, sectors.

    Side effects: one Call row and its many-to-many rows; one audit entry ``call.create`` with
    the fields given, the instants and the call's zone. The call opens and closes by itself
    at those instants: nothing is scheduled. Raises PermissionDenied for anyone but the
    secretariat.
    """
    require_secretariat(actor)
    with transaction.atomic():
        call = Call(series=series)
        _set_call_fields(call, fields)
        if not call.slug:
            call.slug = _unique_slug(call.title, series.calls.all(), "call")
        call.full_clean()
        call.save()
        _set_call_m2m(call, fields)
        after = _snapshot(call, CALL_FIELDS, CALL_M2M)
        audit.record(
            actor=actor,
            action=SeriesAction.CALL_CREATED,
            subject=call,
            summary=f"{series}: {call.title}",
            changes=_call_audit(call, _changed({}, {k: v for k, v in after.items() if v})),
        )
    return call


def update_call(*, actor: User, call: Call, fields: dict[str, Any]) -> list[str]:
    """Change a call; returns the names of the fields that changed.

    Side effects: the Call row and its many-to-many rows; one audit entry ``call.update``
    listing the changed fields, with the instants and the call's zone (none when nothing
    changed). Moving the instants reopens or closes the call from that moment. Raises
    PermissionDenied for anyone but the secretariat.
    """
    require_secretariat(actor)
    with transaction.atomic():
        stored = Call.objects.select_for_update().get(pk=call.pk)
        before = _snapshot(stored, CALL_FIELDS, CALL_M2M)
        _set_call_fields(call, fields)
        if not call.slug:
            call.slug = stored.slug
        call.full_clean()
        call.save()
        _set_call_m2m(call, fields)
        changed = _changed(before, _snapshot(call, CALL_FIELDS, CALL_M2M))
        if changed:
            audit.record(
                actor=actor,
                action=SeriesAction.CALL_UPDATED,
                subject=call,
                summary=f"{call.series}: {call.title}",
                changes=_call_audit(call, changed),
            )
    return changed
