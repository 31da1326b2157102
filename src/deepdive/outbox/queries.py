"""Reads of the outbox for the secretariat's pages."""

from django.db.models import Count, Q, QuerySet

from .models import OutboxMessage


def status_counts() -> list[tuple[str, str, int]]:
    """(status, label, number of messages) for every status, in the lifecycle's order."""
    counts = dict(OutboxMessage.objects.order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in OutboxMessage.Status.choices]


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
    return OutboxMessage.objects.select_related("content_type").filter(pk=pk).first()
