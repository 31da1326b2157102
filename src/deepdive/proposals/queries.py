"""Reads of proposals used by the secretariat's pages and exports."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.dates import MONTHS
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from deepdive.core.audit import history
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.series.models import Call

from .models import CoSubmitter, NearDuplicate, Proposal, Speaker

HISTORY_LIMIT = 200


def _co_submitter_count(statuses: list[str]) -> Coalesce:
    counted = (
        CoSubmitter.objects.filter(proposal=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def taking_part_statuses(call: Call) -> list[str]:
    """Co-submitters that count as taking part: confirmed ones, and pending ones too when the
    call does not ask co-submitting organisations to confirm."""
    if call.co_submitters_must_confirm:
        return [CoSubmitter.Status.CONFIRMED]
    return [CoSubmitter.Status.CONFIRMED, CoSubmitter.Status.PENDING]


def language_name(code: str) -> str:
    """The name of a language code in the reader's language ("fr" → "French")."""
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def month_names(months: list) -> list[str]:
    """Month numbers as names in the reader's language, in the year's order."""
    numbers = sorted({m for m in months or [] if isinstance(m, int) and 1 <= m <= 12})
    return [str(MONTHS[m]) for m in numbers]


def call_proposals(call: Call) -> QuerySet[Proposal]:
    """All the proposals of ``call`` (drafts included), with what the table and the export show.

    Annotations (subqueries, so that any filter's joins cannot inflate them):
    - ``partners``: co-submitting organisations taking part (see ``taking_part_statuses``);
      a proposal is *joint* when it has at least one, i.e. two organisations with the lead;
    - ``organisation_count``: the lead plus the co-submitters that did not decline (listed
      or not), the organisations the proposal names;
    - ``has_unlisted``: a co-submitter is not in the directory (to be checked).
    """
    return (
        Proposal.objects.filter(call=call)
        .select_related("lead_organisation__partner_type", "call__series")
        .prefetch_related(
            "themes",
            "sectors",
            "outcomes",
            "countries",
            Prefetch(
                "co_submitters",
                queryset=CoSubmitter.objects.select_related("organisation__partner_type"),
            ),
            "speakers",
        )
        .annotate(
            partners=_co_submitter_count(taking_part_statuses(call)),
            organisation_count=_co_submitter_count(
                [
                    CoSubmitter.Status.CONFIRMED,
                    CoSubmitter.Status.PENDING,
                    CoSubmitter.Status.UNLISTED,
                ]
            )
            + 1,
            has_unlisted=Exists(
                CoSubmitter.objects.filter(
                    proposal=OuterRef("pk"), status=CoSubmitter.Status.UNLISTED
                )
            ),
        )
    )


def call_counts(call: Call) -> dict[str, int]:
    """Counts of the whole call for the top of the table, in one query (``distinct`` because
    the co-submitter join repeats proposals)."""
    statuses = taking_part_statuses(call)
    return Proposal.objects.filter(call=call).aggregate(
        total=Count("pk", distinct=True),
        draft=Count("pk", filter=Q(status=Proposal.Status.DRAFT), distinct=True),
        submitted=Count("pk", filter=Q(status=Proposal.Status.SUBMITTED), distinct=True),
        withdrawn=Count("pk", filter=Q(status=Proposal.Status.WITHDRAWN), distinct=True),
        joint=Count("pk", filter=Q(co_submitters__status__in=statuses), distinct=True),
        pathfinder=Count("pk", filter=Q(includes_pathfinder=True), distinct=True),
        unlisted=Count(
            "pk", filter=Q(co_submitters__status=CoSubmitter.Status.UNLISTED), distinct=True
        ),
    )


def near_duplicates_of(call: Call, proposals: list[Proposal]) -> list[Proposal]:
    """Give each of ``proposals`` (of ``call``) a ``near_duplicates`` list of
    {"id", "title", "score"}, the most alike first: the pairs kept when the proposals were
    saved (``NearDuplicate``; see ``duplicates`` for what counts as near), read in one query
    whatever the size of the call."""
    ids = [proposal.pk for proposal in proposals]
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    if ids:
        pairs = (
            NearDuplicate.objects.filter(call=call)
            .filter(Q(a__in=ids) | Q(b__in=ids))
            .values_list("a_id", "a__title", "b_id", "b__title", "similarity")
        )
        for a, a_title, b, b_title, score in pairs:
            if a in found:
                found[a].append({"id": b, "title": b_title, "score": score})
            if b in found:
                found[b].append({"id": a, "title": a_title, "score": score})
    for proposal in proposals:
        proposal.near_duplicates = sorted(
            found[proposal.pk], key=lambda other: (-other["score"], str(other["id"]))
        )
    return proposals


def find_proposal(pk: int) -> Proposal:
    """The proposal with everything its page shows; 404 when there is none."""
    return get_object_or_404(
        Proposal.objects.select_related(
            "call__series", "lead_organisation__partner_type", "created_by"
        ).prefetch_related(
            "themes",
            "sectors",
            "outcomes",
            "lead_organisation__countries",
            "countries",
            Prefetch(
                "co_submitters",
                queryset=CoSubmitter.objects.select_related(
                    "organisation__partner_type", "decided_by"
                ),
            ),
            "speakers",
        ),
        pk=pk,
    )


def speakers_by_gender(speakers: list[Speaker]) -> dict[str, int]:
    """Number of speakers per gender (no answer counts as "undisclosed"), for sex-disaggregated
    reporting."""
    counts = Counter(s.gender or Speaker.Gender.UNDISCLOSED for s in speakers)
    return {gender: counts.get(gender, 0) for gender in Speaker.Gender.values}


def messages_about(proposal: Proposal) -> QuerySet[OutboxMessage]:
    """E-mails the platform wrote about this proposal."""
    return OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=str(proposal.pk)
    ).order_by("-created_at", "-id")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def readable_history(proposal: Proposal) -> list[dict[str, Any]]:
    """The proposal's audit entries, newest first, each change as (field label, old, new)."""
    labels = {
        field.name: str(getattr(field, "verbose_name", field.name))
        for field in Proposal._meta.get_fields()
    }
    entries = []
    for entry in history(proposal)[:HISTORY_LIMIT]:
        changes = []
        for name, value in (entry.changes or {}).items():
            if isinstance(value, list | tuple) and len(value) == 2:
                old, new = value
            else:
                old, new = "", value
            changes.append(
                {
                    "field": labels.get(name, name.replace("_", " ")),
                    "old": _text(old),
                    "new": _text(new),
                }
            )
        entries.append({"entry": entry, "changes": changes})
    return entries


def proposal_page(proposal: Proposal) -> dict[str, Any]:
    """What the secretariat's page of one proposal shows."""
    speakers = list(proposal.speakers.all())
    near_duplicates_of(proposal.call, [proposal])
    gender_counts = speakers_by_gender(speakers)
    return {
        "proposal": proposal,
        "call": proposal.call,
        "language": language_name(proposal.language),
        "interpretation": [language_name(code) for code in proposal.interpretation or []],
        "months": month_names(proposal.preferred_months),
        "speakers": speakers,
        "gender_counts": [(label, gender_counts[value]) for value, label in Speaker.Gender.choices],
        "co_submitters": list(proposal.co_submitters.all()),
        "outbox_messages": list(messages_about(proposal)[:100]),
        "history": readable_history(proposal),
        "near_duplicates": proposal.near_duplicates,
    }


def co_submitters_without_contact(proposal: Proposal) -> list[CoSubmitter]:
    """The co-submitting organisations of the directory still to answer that have no verified
    (active) contact: nobody can confirm their part."""
    contact = Affiliation.objects.filter(
        organisation=OuterRef("organisation"),
        status=Affiliation.Status.VERIFIED,
        user__is_active=True,
    )
    return list(
        proposal.co_submitters.filter(organisation__isnull=False, status=CoSubmitter.Status.PENDING)
        .exclude(Exists(contact))
        .select_related("organisation")
    )
