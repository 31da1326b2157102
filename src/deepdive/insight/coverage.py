"""Workplan coverage: the series' Action Group's Outcomes and Outputs against its webinars.

For each Output of the workplan:

- *proposed*: submitted proposals that name the Output's Outcome (proposals carry Outcomes,
  not Outputs, so an Output counts as proposed when a proposal names its Outcome);
- *selected*: webinars linked to the Output (a webinar is a selected proposal whose host
  confirmed), cancelled ones left out;
- *held*: those held; *recorded*: those with a published recording;
- the webinars themselves, and the *gaps*: Outputs no webinar is linked to.

Webinars are linked to Outputs by their hosts or the secretariat (``webinars.workplan``).
The public summary counts published webinars only and names no proposal. The number of
queries does not grow with the rows: counts are aggregated by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.db.models import Count, Q, QuerySet

from deepdive.core.permissions import Actor, require_secretariat
from deepdive.proposals.models import Proposal
from deepdive.reference.models import Outcome, Output
from deepdive.webinars.models import Webinar

from .participation import Filters

HELD_STATES = (Webinar.State.HELD, Webinar.State.RECORDING_PUBLISHED)


@dataclass
class LinkedWebinar:
    pk: int
    title: str
    held: bool


@dataclass
class OutputRow:
    output: Output
    proposed: int
    selected: int
    held: int
    recorded: int
    webinars: list[LinkedWebinar] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return self.selected == 0


@dataclass
class OutcomeRows:
    outcome: Outcome
    outputs: list[OutputRow]


@dataclass
class Coverage:
    filters: Filters
    public: bool
    outcomes: list[OutcomeRows]

    @property
    def rows(self) -> list[OutputRow]:
        return [row for group in self.outcomes for row in group.outputs]

    @property
    def gaps(self) -> list[OutputRow]:
        return [row for row in self.rows if row.is_gap]


def _webinar_filter(filters: Filters, public: bool, prefix: str = "") -> Q:
    """The webinars counted, as a condition on ``prefix`` (``"webinars__"`` from an Output)."""
    condition = Q(**{f"{prefix}proposal__call__series": filters.series}) & ~Q(
        **{f"{prefix}state": Webinar.State.CANCELLED}
    )
    if filters.call is not None:
        condition &= Q(**{f"{prefix}proposal__call": filters.call})
    if filters.start is not None:
        condition &= Q(**{f"{prefix}starts_at__gte": datetime.combine(filters.start, time(), UTC)})
    if filters.end is not None:
        condition &= Q(**{f"{prefix}starts_at__lte": datetime.combine(filters.end, time.max, UTC)})
    if public:
        condition &= Q(**{f"{prefix}published_at__isnull": False})
    return condition


def _proposal_filter(filters: Filters, prefix: str) -> Q:
    condition = Q(**{f"{prefix}status": Proposal.Status.SUBMITTED}) & Q(
        **{f"{prefix}call__series": filters.series}
    )
    if filters.call is not None:
        condition &= Q(**{f"{prefix}call": filters.call})
    if filters.start is not None:
        condition &= Q(
            **{f"{prefix}submitted_at__gte": datetime.combine(filters.start, time(), UTC)}
        )
    if filters.end is not None:
        condition &= Q(
            **{f"{prefix}submitted_at__lte": datetime.combine(filters.end, time.max, UTC)}
        )
    return condition


def _outputs(filters: Filters, public: bool) -> QuerySet[Output]:
    counted = _webinar_filter(filters, public, "webinars__")
    return (
        Output.objects.filter(outcome__action_group_id=filters.series.action_group_id)
        .select_related("outcome")
        .order_by("outcome__number", "number")
        .annotate(
            proposed=Count(
                "outcome__proposals",
                filter=_proposal_filter(filters, "outcome__proposals__"),
                distinct=True,
            ),
            selected=Count("webinars", filter=counted, distinct=True),
            held=Count(
                "webinars", filter=counted & Q(webinars__state__in=HELD_STATES), distinct=True
            ),
            recorded=Count(
                "webinars",
                filter=counted & Q(webinars__recordings__published_at__isnull=False),
                distinct=True,
            ),
        )
    )


def coverage(*, reader: Actor | None, filters: Filters, public: bool = False) -> Coverage:
    """The coverage of the workplan by the series' webinars within ``filters``. ``public``:
    the published webinars only, for anyone (the public summary); otherwise the secretariat
    only (``PermissionDenied``). Two queries, whatever the numbers."""
    if not public:
        require_secretariat(reader)
    outputs = list(_outputs(filters, public))
    links = (
        Webinar.outputs.through.objects.filter(
            _webinar_filter(filters, public, "webinar__"), output__in=[o.pk for o in outputs]
        )
        .order_by("webinar__starts_at", "webinar__proposal__title", "webinar_id")
        .values_list("output_id", "webinar_id", "webinar__proposal__title", "webinar__state")
    )
    linked: dict[int, list[LinkedWebinar]] = {}
    for output_id, webinar_id, title, state in links:
        linked.setdefault(output_id, []).append(
            LinkedWebinar(webinar_id, title, state in HELD_STATES)
        )
    groups: dict[int, OutcomeRows] = {}
    for output in outputs:
        group = groups.setdefault(output.outcome_id, OutcomeRows(output.outcome, []))
        # ``proposed``… are the annotations of ``_outputs``, unknown to the stubs.
        group.outputs.append(
            OutputRow(
                output=output,
                proposed=output.proposed,  # type: ignore[attr-defined]
                selected=output.selected,  # type: ignore[attr-defined]
                held=output.held,  # type: ignore[attr-defined]
                recorded=output.recorded,  # type: ignore[attr-defined]
                webinars=linked.get(output.pk, []),
            )
        )
    return Coverage(filters=filters, public=public, outcomes=list(groups.values()))
