"""Writes of series and calls. The secretariat edits them in the admin for now; its saves
and deletions come through here so that each leaves an audit entry."""

from typing import Any

from django.db import transaction

from deepdive.core import audit

from .models import Call, Series


def save_series(*, actor: Any, series: Series, changed: list[str] | None = None) -> Series:
    """Create or update a series. Side effects: the row; one audit entry."""
    created = series.pk is None
    with transaction.atomic():
        series.save()
        audit.record(
            actor=actor,
            action="series.create" if created else "series.update",
            subject=series,
            summary=series.title,
            changes={"fields": sorted(changed or [])},
        )
    return series


def save_call(*, actor: Any, call: Call, changed: list[str] | None = None) -> Call:
    """Create or update a call for proposals (its instants already in UTC).

    Side effects: the row; one audit entry, with the instants and the call's zone.
    """
    created = call.pk is None
    with transaction.atomic():
        call.save()
        audit.record(
            actor=actor,
            action="call.create" if created else "call.update",
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


def delete_series(*, actor: Any, series: Series) -> None:
    """Delete a series and its calls. Side effects: rows deleted; one audit entry."""
    with transaction.atomic():
        audit.record(actor=actor, action="series.delete", subject=series, summary=series.title)
        series.delete()


def delete_call(*, actor: Any, call: Call) -> None:
    """Delete a call. Side effects: the row deleted; one audit entry."""
    with transaction.atomic():
        audit.record(
            actor=actor, action="call.delete", subject=call, summary=f"{call.series}: {call.title}"
        )
        call.delete()
