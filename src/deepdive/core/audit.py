"""The audit trail: every service records what it changed, who did it and when."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None = None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=str(subject.pk) if subject is not None else "",
        summary=summary[:300],
        changes=changes or {},
    )


def history(subject: models.Model):
    """The audit entries about one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    ).select_related("actor")


def diff(instance: models.Model, fields: list[str], before: dict) -> dict:
    """The fields whose value differs from ``before``, as {field: [old, new]} strings."""
    changed = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if str(old) != str(new):
            changed[name] = [
                str(old) if old is not None else "",
                str(new) if new is not None else "",
            ]
    return changed
