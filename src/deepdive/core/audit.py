"""The audit trail: every service records what it changed, who did it and when.

Each app names its actions in its ``actions`` module, as a subclass of ``AuditAction`` whose
labels are short English sentences ("Proposal submitted"). The entry stores the action's code;
a reader sees its label in their own language (``label_of``), whatever the language of the
person who acted. The entry's ``summary`` adds facts (names, counts) in English, and
``changes`` the old and new value of each field changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.module_loading import autodiscover_modules

from .models import AuditAction, AuditEntry, label_of

__all__ = ["AuditAction", "diff", "discover", "history", "label_of", "record"]


def discover() -> None:
    """Import every app's ``actions`` module (called once when the apps are ready)."""
    autodiscover_modules("actions")


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
        action=str(getattr(action, "value", action)),
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=str(subject.pk) if subject is not None else "",
        summary=str(summary)[:300],
        changes=changes or {},
    )


def history(subject: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries about one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    ).select_related("actor")


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def diff(instance: models.Model, fields: list[str], before: dict) -> dict:
    """The fields whose value differs from ``before``, as {field: [old, new]} strings."""
    changed = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if str(old) != str(new):
            changed[name] = [_text(old), _text(new)]
    return changed
