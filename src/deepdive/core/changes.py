"""The one way a service changes the fields of a row: lock, compare, write, audit.

    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar_pk)
        changed = changes.update(webinar, actor=actor, action=WebinarAction.UPDATED,
                                 minutes=60, members_only=True)

``update`` writes only the fields whose value changed (``save(update_fields=...)``, so a
concurrent write to another field is kept) and records one audit entry with the old and new
value of each; it writes nothing and records nothing when nothing changed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from . import audit

M = TypeVar("M", bound=models.Model)


def locked(model: type[M], **lookup: Any) -> M:
    """The row, read again and locked until the transaction ends (``select_for_update``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("changes.locked must be called inside transaction.atomic()")
    return model._default_manager.select_for_update().get(**lookup)


def update(
    instance: models.Model,
    *,
    actor: Any,
    action: str,
    summary: str = "",
    **values: Any,
) -> dict[str, list[str]]:
    """Set ``values`` on ``instance`` (a row locked with ``locked``), write the fields that
    changed and record one audit entry: {field: [old, new]} as text. Returns those changes."""
    before = {name: getattr(instance, name) for name in values}
    for name, value in values.items():
        setattr(instance, name, value)
    changed = [name for name in values if before[name] != getattr(instance, name)]
    if not changed:
        return {}
    fields = list(changed)
    if any(f.name == "updated_at" for f in instance._meta.get_fields()):
        fields.append("updated_at")
    instance.save(update_fields=fields)
    differences = audit.diff(instance, changed, before)
    audit.record(actor=actor, action=action, subject=instance, summary=summary, changes=differences)
    return differences
