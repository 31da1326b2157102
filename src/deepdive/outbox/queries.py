"""Reads of the outbox for the secretariat's pages."""

from urllib.parse import urlencode

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .consent import group_names, normalise, suppressions_of
from .models import OutboxMessage, Suppression, batch_key


def status_counts() -> list[tuple[str, str, int]]:
    """(status, label, number of messages) for every status, in the lifecycle's order."""
    counts = dict(OutboxMessage.objects.order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in OutboxMessage.Status.choices]


def held_count() -> int:
    """How many messages wait for the secretariat's approval (decision e-mails, …)."""
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).count()


def held_list_url() -> str:
    """The outbox's list of the messages waiting for approval."""
    return f"{reverse('outbox:list')}?{urlencode({'status': OutboxMessage.Status.HELD})}"


def interrupted() -> QuerySet[OutboxMessage]:
    """Messages a worker died while sending, for the secretariat to resend or mark sent,
    oldest attempt first."""
    return (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.INTERRUPTED)
        .order_by("claimed_at", "pk")
        .only("created_at", "to_email", "subject", "kind", "status", "attempts", "claimed_at")
    )


def kinds() -> list[str]:
    """The kinds of message present in the outbox, sorted."""
    return list(
        OutboxMessage.objects.exclude(kind="")
        .order_by("kind")
        .values_list("kind", flat=True)
        .distinct()
    )


def messages(*, status: str = "", kind: str = "", search: str = "") -> QuerySet[OutboxMessage]:
    """Messages, newest first, filtered by status, kind and a text in recipient or subject."""
    qs = OutboxMessage.objects.all()
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if search := search.strip():
        qs = qs.filter(Q(to_email__icontains=search) | Q(subject__icontains=search))
    return qs.only("created_at", "to_email", "language", "subject", "kind", "status", "attempts")


def message_detail(pk: int) -> OutboxMessage | None:
    return (
        OutboxMessage.objects.select_related("content_type", "approved_by", "edited_by")
        .filter(pk=pk)
        .first()
    )


def held_batches() -> list[dict]:
    """The batches with messages waiting for approval, oldest first: label, key (for the
    URL) and number held."""
    rows = (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
        .exclude(batch="")
        .order_by()
        .values("batch")
        .annotate(held=Count("id"), first=Min("created_at"))
        .order_by("first", "batch")
    )
    return [{"label": r["batch"], "key": batch_key(r["batch"]), "held": r["held"]} for r in rows]


def batch_label(key: str) -> str | None:
    """The batch whose URL key is ``key``, or None."""
    labels = OutboxMessage.objects.exclude(batch="").order_by().values_list("batch", flat=True)
    return next((label for label in labels.distinct() if batch_key(label) == key), None)


def batch_messages(batch: str) -> QuerySet[OutboxMessage]:
    """The messages of a batch, by recipient."""
    return (
        OutboxMessage.objects.filter(batch=batch)
        .order_by("to_email", "pk")
        .only("to_email", "language", "subject", "kind", "status", "created_at")
    )


def batch_status_counts(batch: str) -> list[tuple[str, str, int]]:
    """(status, label, number) of the statuses present in a batch, in the lifecycle's order."""
    counts = dict(
        OutboxMessage.objects.filter(batch=batch)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [
        (value, label, counts[value])
        for value, label in OutboxMessage.Status.choices
        if counts.get(value)
    ]


# What the directory shows the secretariat beside a contact's address, one note per suppression.
SUPPRESSION_NOTES: dict[tuple[str, str], Promise] = {
    (Suppression.Reason.UNSUBSCRIBED, Suppression.Scope.INVITATION): _(
        "unsubscribed from invitations"
    ),
    (Suppression.Reason.UNSUBSCRIBED, Suppression.Scope.NEWSLETTER): _(
        "unsubscribed from newsletters"
    ),
    (Suppression.Reason.UNSUBSCRIBED, Suppression.Scope.ALL): _("unsubscribed from all e-mail"),
}


def mail_notes(addresses: list[str]) -> dict[str, list[str]]:
    """For each address (lower-case key) that receives less than everything, why:
    "unsubscribed from invitations", "unsubscribed from invitations of the Supply Chains
    Action Group", "bounced", "complained" … For the secretariat only."""
    found = suppressions_of(addresses)
    names = group_names({row.action_group for rows in found.values() for row in rows})
    notes: dict[str, list[str]] = {}
    for address, rows in found.items():
        notes[normalise(address)] = [_note(row, names) for row in rows]
    return notes


def _note(row: Suppression, names: dict[str, str]) -> str:
    if row.action_group and row.reason == Suppression.Reason.UNSUBSCRIBED:
        return _("unsubscribed from %(scope)s of the %(group)s Action Group") % {
            "scope": row.get_scope_display(),
            "group": names.get(row.action_group, row.action_group),
        }
    return str(SUPPRESSION_NOTES.get((row.reason, row.scope)) or row.get_reason_display())
