"""Diversity of the series: who proposed, who was selected and whose webinar was held, side by
side, per call or for the whole series.

The words and the ways of counting are the selection's (``selection.optimiser_input``), read
with its own ``proposal_entry`` so both always agree:

- partner types: those of the lead and of the co-submitting organisations that confirmed;
- ILO regions: those of the countries of action, or of the lead organisation's countries when
  none is given;
- Pathfinder Countries: a proposal with action in a Pathfinder Country (as saved);
- themes and sectors: the proposal's;
- joint proposals: two or more organisations that confirmed (the lead counts).

A proposal counts once in each partner type, region, theme or sector it has, so a column may
add up to more than its number of proposals. *Selected*: the decision selected it; *held*:
its webinar was held. Organisations, not people: nothing is suppressed. The number of queries
does not grow with the rows (one query and its prefetches), nor with the calls (one more query
for the calls side by side, counted from the same proposals).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from deepdive.core.permissions import Actor, require_secretariat
from deepdive.proposals.models import Proposal
from deepdive.reference.models import PartnerType, Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.selection.models import Decision
from deepdive.selection.optimiser_input import proposal_entry
from deepdive.series.models import Call
from deepdive.webinars.models import Webinar

from .coverage import HELD_STATES
from .participation import Filters

STAGES = ("proposed", "selected", "held")
STAGE_LABELS = {"proposed": _("Proposals"), "selected": _("Selected"), "held": _("Held")}
# The three themes of Alliance 8.7's Target, each a column of the calls side by side.
TARGET_THEMES = ("child_labour", "forced_labour", "human_trafficking")


@dataclass
class Line:
    """One category (a partner type, a region…): how many proposals, selected, held."""

    key: str
    label: str
    proposed: int
    selected: int
    held: int

    def values(self) -> list[int]:
        return [self.proposed, self.selected, self.held]


@dataclass
class Dimension:
    key: str
    title: str
    lines: list[Line]


@dataclass
class CallLine:
    """One call of the series beside the others: its proposals, selected and held; its joint
    proposals and those with action in a Pathfinder Country (among the proposals); and the
    selected proposals of each of ``TARGET_THEMES``."""

    call: Call
    label: str
    proposed: int
    selected: int
    held: int
    joint: int
    pathfinder: int
    themes: list[int]

    def values(self) -> list[int]:
        return [
            self.proposed,
            self.selected,
            self.held,
            self.joint,
            self.pathfinder,
            *self.themes,
        ]


@dataclass
class CallsSideBySide:
    """The calls of the series in order of opening; ``columns`` name ``CallLine.values``."""

    columns: list[str]
    lines: list[CallLine]


@dataclass
class Diversity:
    filters: Filters
    totals: Line
    dimensions: list[Dimension]
    # Only for the whole series (no call chosen) when it has more than one call.
    calls: CallsSideBySide | None = None


def _proposals(filters: Filters) -> QuerySet[Proposal]:
    found = Proposal.objects.filter(
        call__series=filters.series, status=Proposal.Status.SUBMITTED
    ).order_by("pk")
    if filters.call is not None:
        found = found.filter(call=filters.call)
    if filters.start is not None:
        found = found.filter(submitted_at__gte=datetime.combine(filters.start, time(), UTC))
    if filters.end is not None:
        found = found.filter(submitted_at__lte=datetime.combine(filters.end, time.max, UTC))
    selected = Decision.objects.filter(proposal=OuterRef("pk"), outcome=Decision.Outcome.SELECTED)
    held = Webinar.objects.filter(proposal=OuterRef("pk"), state__in=HELD_STATES)
    return (
        found.annotate(is_selected=Exists(selected), is_held=Exists(held))
        .select_related("lead_organisation__partner_type")
        .prefetch_related(
            "themes",
            "outcomes",
            "sectors",
            "countries",
            "lead_organisation__countries",
            "co_submitters__organisation__partner_type",
        )
    )


def _lines(
    facts: list[tuple[dict, bool, bool]],
    keys: Callable[[dict], Iterable[str]],
    labels: dict[str, str],
) -> list[Line]:
    counts: dict[str, Counter[str]] = {stage: Counter() for stage in STAGES}
    for entry, selected, held in facts:
        for key in set(keys(entry)):
            counts["proposed"][key] += 1
            counts["selected"][key] += selected
            counts["held"][key] += held
    order = [key for key in labels if counts["proposed"][key]] + sorted(
        key for key in counts["proposed"] if key not in labels
    )
    return [
        Line(
            key,
            labels.get(key, key),
            counts["proposed"][key],
            counts["selected"][key],
            counts["held"][key],
        )
        for key in order
    ]


def _is_joint(entry: dict) -> bool:
    return len(entry["organisations"]) >= 2


def _calls_side_by_side(
    filters: Filters, facts: list[tuple[dict, bool, bool]], themes: dict[str, str]
) -> CallsSideBySide | None:
    """Each call's figures, counted from the same ``facts`` as the rest of the report; ``None``
    when one call is chosen or the series has only one."""
    if filters.call is not None:
        return None
    calls = list(
        Call.objects.filter(series=filters.series)
        .select_related("series")
        .order_by("opens_at", "pk")
    )
    if len(calls) < 2:
        return None
    per_call: dict[int, list[tuple[dict, bool, bool]]] = {call.pk: [] for call in calls}
    for fact in facts:
        per_call.setdefault(fact[0]["call"], []).append(fact)
    lines = []
    for call in calls:
        found = per_call[call.pk]
        lines.append(
            CallLine(
                call=call,
                label=call.text("title"),
                proposed=len(found),
                selected=sum(selected for _entry, selected, _held in found),
                held=sum(held for _entry, _selected, held in found),
                joint=sum(_is_joint(entry) for entry, _selected, _held in found),
                pathfinder=sum(bool(entry["pathfinder"]) for entry, _selected, _held in found),
                themes=[
                    sum(selected and code in entry["themes"] for entry, selected, _held in found)
                    for code in TARGET_THEMES
                ],
            )
        )
    columns = [
        *[str(STAGE_LABELS[stage]) for stage in STAGES],
        str(_("Joint proposals")),
        str(_("Action in a Pathfinder Country")),
        *[
            str(_("%(theme)s, selected") % {"theme": themes.get(code, code)})
            for code in TARGET_THEMES
        ],
    ]
    return CallsSideBySide(columns=columns, lines=lines)


def diversity(*, reader: Actor | None, filters: Filters) -> Diversity:
    """The diversity of the proposals, selected and held webinars within ``filters`` (the
    period: the day each proposal was submitted), and, for the whole of a series of more than
    one call, the calls side by side. The secretariat only (``PermissionDenied``)."""
    require_secretariat(reader)
    facts = []
    for proposal in _proposals(filters):
        entry = proposal_entry(proposal, 0.0)
        entry["sectors"] = [s.code for s in proposal.sectors.all()]
        entry["call"] = proposal.call_id
        # The annotations of ``_proposals``, unknown to the stubs.
        selected = bool(proposal.is_selected)  # type: ignore[attr-defined]
        held = bool(proposal.is_held)  # type: ignore[attr-defined]
        facts.append((entry, selected, held))
    partner_types = {p.code: str(p) for p in PartnerType.objects.all()}
    themes = {t.code: str(t) for t in Theme.objects.all()}
    sectors = {s.code: str(s) for s in Sector.objects.all()}
    regions = {code: str(label) for code, label in IloRegion.choices}
    yes = {"yes": str(_("Yes"))}
    totals = _lines(facts, lambda entry: ["all"], {"all": str(_("All"))})
    dimensions = [
        Dimension(
            "partner_types",
            str(_("Partner types")),
            _lines(facts, lambda e: e["org_types"], partner_types),
        ),
        Dimension("regions", str(_("ILO regions")), _lines(facts, lambda e: e["regions"], regions)),
        Dimension(
            "pathfinder",
            str(_("Action in a Pathfinder Country")),
            _lines(facts, lambda e: ["yes"] if e["pathfinder"] else [], yes),
        ),
        Dimension("themes", str(_("Themes")), _lines(facts, lambda e: e["themes"], themes)),
        Dimension("sectors", str(_("Sectors")), _lines(facts, lambda e: e["sectors"], sectors)),
        Dimension(
            "joint",
            str(_("Joint proposals")),
            _lines(facts, lambda e: ["yes"] if _is_joint(e) else [], yes),
        ),
    ]
    empty = Line("all", str(_("All")), 0, 0, 0)
    return Diversity(
        filters=filters,
        totals=totals[0] if totals else empty,
        dimensions=dimensions,
        calls=_calls_side_by_side(filters, facts, themes),
    )
