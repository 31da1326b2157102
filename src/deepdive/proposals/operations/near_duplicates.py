"""The near-duplicate pairs of a call's proposals, kept up to date as proposals are written.

The pairs are rewritten under a PostgreSQL advisory lock, one rewrite per call at a time
(``_one_rewrite_of_pairs_at_a_time``)."""

from __future__ import annotations

from django.db import connection, transaction

from deepdive.series.models import Call

from .. import duplicates
from ..models import NearDuplicate, Proposal

# First key of the PostgreSQL advisory lock that one call's near-duplicate pairs are rewritten
# under (the second is the call's id).
NEAR_DUPLICATES_LOCK = 8701


def _one_rewrite_of_pairs_at_a_time(*, call_id: int) -> None:
    """Two submissions at once would delete and insert each other's pairs in opposite orders,
    a deadlock on PostgreSQL (SQLite already writes one transaction at a time). The lock lasts
    until the transaction ends. Proposals are locked ``no_key``, so the pairs' foreign keys to
    another proposal being saved at that moment never wait for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NEAR_DUPLICATES_LOCK, call_id])


def refresh_near_duplicates(*, proposal: Proposal, counted: bool | None = None) -> int:
    """Work out again the near duplicates of ``proposal`` (as saved) against the other
    proposals of its call that are not withdrawn: one pass over the call, linear in its size.
    ``counted`` says whether the proposal itself takes part (by default: unless withdrawn).
    Runs inside the caller's transaction; returns the number of pairs kept.

    Side effects: the proposal's NearDuplicate rows replaced (none when it is withdrawn). No
    audit entry: the pairs are worked out from what is audited.
    """
    if counted is None:
        counted = proposal.status != Proposal.Status.WITHDRAWN
    _one_rewrite_of_pairs_at_a_time(call_id=proposal.call_id)
    NearDuplicate.objects.filter(a=proposal).delete()
    NearDuplicate.objects.filter(b=proposal).delete()
    if not counted:
        return 0
    others = (
        Proposal.objects.filter(call_id=proposal.call_id)
        .exclude(pk=proposal.pk)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .values_list("pk", "title", "description")
    )
    found = duplicates.matches((proposal.pk, proposal.title, proposal.description), others)
    NearDuplicate.objects.bulk_create(
        [
            NearDuplicate(
                call_id=proposal.call_id,
                a_id=min(proposal.pk, other),
                b_id=max(proposal.pk, other),
                similarity=score,
            )
            for other, score in found
        ],
        ignore_conflicts=True,  # the same pair stored meanwhile by the other's change
    )
    return len(found)


def fill_near_duplicates(*, call: Call) -> int:
    """Work out again every near-duplicate pair of ``call`` (for data written before the
    pairs were kept, or after a change of the rules in ``duplicates``); returns their number.

    Side effects: the call's NearDuplicate rows replaced, in one transaction.
    """
    rows = (
        Proposal.objects.filter(call=call)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .order_by("pk")
        .values_list("pk", "title", "description")
    )
    found = duplicates.near_duplicates(rows)
    pairs = {
        (pk, other): score for pk, others in found.items() for other, score in others if pk < other
    }
    with transaction.atomic():
        _one_rewrite_of_pairs_at_a_time(call_id=call.pk)
        NearDuplicate.objects.filter(call=call).delete()
        NearDuplicate.objects.bulk_create(
            NearDuplicate(call=call, a_id=a, b_id=b, similarity=score)
            for (a, b), score in pairs.items()
        )
    return len(pairs)
