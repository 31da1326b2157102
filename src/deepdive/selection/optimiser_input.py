"""From the database to the ``select`` optimiser's input (DESIGN.md, **select**).

- Proposals: the *submitted* proposals of the call that have a calibrated score
  (``reviews.queries_reviewing.calibrated_scores``); withdrawn and draft ones are out, and
  submitted ones without a score are listed apart ("not scored, left out").
- Ids: proposals ``p<pk>``, organisations ``o<pk>``.
- Score: the calibrated total (4..20) divided by 4, i.e. the mean score per criterion on the
  reviewers' 1..5 scale. The weights of the concept note's defaults (0.5 for a joint proposal,
  0.5 for Pathfinder Countries, 0.25 per partner type or region covered) are then on the same
  scale as one criterion's points: a joint proposal is worth half a point more per criterion.
- Organisations: the lead plus the co-submitters that *confirmed* (pending, declined and unlisted
  ones do not count), so a proposal is joint only with a confirmed co-submitter.
- Partner types: those of these organisations; ``lead_org_type``: the lead's.
- Regions: the ILO regions of the countries of action; when none is given, those of the lead
  organisation's countries.
- Themes: codes; Outcomes: numbers; ``pathfinder``: ``includes_pathfinder``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from deepdive.proposals.models import CoSubmitter, Proposal
from deepdive.reference.models import Outcome, Theme
from deepdive.reviews.queries_reviewing import calibrated_scores
from deepdive.series.models import Call

from .models import SelectionRules

# The optimiser gets this long; explanations are included in it.
TIME_LIMIT_SECONDS = 30
# Calibrated totals run 4..20 over four criteria: divide by this for the mean per criterion.
CRITERIA_COUNT = 4
DEFAULT_WEIGHTS = {
    "joint": 0.5,
    "pathfinder": 0.5,
    "org_type_coverage": 0.25,
    "region_coverage": 0.25,
}


def proposal_id(pk: int) -> str:
    return f"p{pk}"


def organisation_id(pk: int) -> str:
    return f"o{pk}"


def pk_of(optimiser_id: str) -> int | None:
    """The primary key in ``p12`` or ``o7``; None for anything else."""
    rest = optimiser_id[1:]
    return int(rest) if rest.isdigit() else None


@dataclass
class RuleSet:
    """The rules of a call as plain values (saved or the defaults), the form's and the
    optimiser's common ground. Keys of ``min_per_outcome`` are Outcome numbers as strings."""

    seats: int
    min_per_theme: dict[str, int] = field(default_factory=dict)
    min_per_outcome: dict[str, int] = field(default_factory=dict)
    max_per_organisation: int | None = None
    max_per_lead_org_type: int | None = None
    max_per_region: int | None = None
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    include: list[int] = field(default_factory=list)
    exclude: list[int] = field(default_factory=list)
    saved: bool = False

    def snapshot(self) -> dict[str, Any]:
        """The rules as stored with a run (JSON)."""
        return {
            "seats": self.seats,
            "min_per_theme": dict(self.min_per_theme),
            "min_per_outcome": dict(self.min_per_outcome),
            "max_per_organisation": self.max_per_organisation,
            "max_per_lead_org_type": self.max_per_lead_org_type,
            "max_per_region": self.max_per_region,
            "weights": dict(self.weights),
            "include": sorted(self.include),
            "exclude": sorted(self.exclude),
        }


def call_themes(call: Call) -> list[Theme]:
    """The themes whose balance the selection seeks: the call's, or all of them."""
    return list(call.themes.all()) or list(Theme.objects.all())


def call_outcomes(call: Call) -> list[Outcome]:
    """The Outcomes of the call, or those of its series' Action Group."""
    return list(call.outcomes.all()) or list(
        Outcome.objects.filter(action_group_id=call.series.action_group_id)
    )


def default_rules(call: Call) -> RuleSet:
    """The concept note's defaults: joint proposals and Pathfinder Countries weighted, each
    theme at least a quarter of the seats (rounded up), each Outcome at least once, one webinar
    per organisation; no cap per lead partner type or region; nothing locked."""
    seats = call.seats
    return RuleSet(
        seats=seats,
        min_per_theme={t.code: math.ceil(seats / 4) for t in call_themes(call)},
        min_per_outcome={str(o.number): 1 for o in call_outcomes(call)},
        max_per_organisation=1,
    )


def rule_set(call: Call) -> RuleSet:
    """The call's saved rules, or the defaults when none are saved."""
    rules = SelectionRules.objects.filter(call=call).first()
    if rules is None:
        return default_rules(call)
    return RuleSet(
        seats=rules.seats,
        min_per_theme={k: int(v) for k, v in rules.min_per_theme.items()},
        min_per_outcome={str(k): int(v) for k, v in rules.min_per_outcome.items()},
        max_per_organisation=rules.max_per_organisation,
        max_per_lead_org_type=rules.max_per_lead_org_type,
        max_per_region=rules.max_per_region,
        weights={
            "joint": rules.weight_joint,
            "pathfinder": rules.weight_pathfinder,
            "org_type_coverage": rules.weight_org_type_coverage,
            "region_coverage": rules.weight_region_coverage,
        },
        include=list(rules.include.values_list("pk", flat=True)),
        exclude=list(rules.exclude.values_list("pk", flat=True)),
        saved=True,
    )


@dataclass
class Built:
    """What ``build`` makes: the optimiser's ``input``; ``facts`` about each proposal sent, by
    id (for the pages: title, lead, sectors, countries, Pathfinder Countries); the pks of the
    submitted proposals left out because they have no score; and the proposals sent, by id."""

    input: dict[str, Any]
    facts: dict[str, dict[str, Any]]
    unscored: list[int]


def submitted_proposals(call: Call):
    return (
        Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED)
        .select_related("lead_organisation__partner_type")
        .prefetch_related(
            "themes",
            "outcomes",
            "sectors",
            "countries__pathfinder",
            "lead_organisation__countries",
            "co_submitters__organisation__partner_type",
        )
        .order_by("pk")
    )


def proposal_entry(proposal: Proposal, score: float) -> dict[str, Any]:
    """One proposal of the optimiser's input (see the module's docstring)."""
    lead = proposal.lead_organisation
    organisations = [lead]
    for co in proposal.co_submitters.all():
        if co.status == CoSubmitter.Status.CONFIRMED and co.organisation is not None:
            if co.organisation.pk not in {o.pk for o in organisations}:
                organisations.append(co.organisation)
    countries = list(proposal.countries.all()) or list(lead.countries.all())
    return {
        "id": proposal_id(proposal.pk),
        "score": score,
        "organisations": [organisation_id(o.pk) for o in organisations],
        "org_types": sorted({o.partner_type.code for o in organisations}),
        "lead_org_type": lead.partner_type.code,
        "regions": sorted({c.ilo_region for c in countries if c.ilo_region}),
        "themes": sorted(t.code for t in proposal.themes.all()),
        "outcomes": sorted(o.number for o in proposal.outcomes.all()),
        "pathfinder": bool(proposal.includes_pathfinder),
    }


def _pathfinder_of(country) -> bool:
    try:
        return country.pathfinder is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


def build(call: Call, rules: RuleSet, *, scores: dict[int, float] | None = None) -> Built:
    """The optimiser's input for ``call`` under ``rules``. Locked proposals that are no longer
    sent (withdrawn or unscored) are dropped from ``include``/``exclude``."""
    scores = calibrated_scores(call) if scores is None else scores
    entries, facts, unscored = [], {}, []
    for proposal in submitted_proposals(call):
        if proposal.pk not in scores:
            unscored.append(proposal.pk)
            continue
        entry = proposal_entry(proposal, round(scores[proposal.pk] / CRITERIA_COUNT, 6))
        entries.append(entry)
        facts[entry["id"]] = _facts(proposal)
    sent = {e["id"] for e in entries}
    data: dict[str, Any] = {
        "seats": rules.seats,
        "proposals": entries,
        "weights": dict(rules.weights),
        "rules": {
            "min_per_theme": {k: v for k, v in rules.min_per_theme.items()},
            "min_per_outcome": {str(k): v for k, v in rules.min_per_outcome.items()},
            "include": [proposal_id(pk) for pk in sorted(rules.include) if proposal_id(pk) in sent],
            "exclude": [proposal_id(pk) for pk in sorted(rules.exclude) if proposal_id(pk) in sent],
        },
        "time_limit_seconds": TIME_LIMIT_SECONDS,
    }
    for key in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        value = getattr(rules, key)
        if value is not None:
            data["rules"][key] = value
    return Built(input=data, facts=facts, unscored=unscored)


def _facts(proposal: Proposal) -> dict[str, Any]:
    countries = list(proposal.countries.all())
    return {
        "pk": proposal.pk,
        "title": str(proposal),
        "lead": str(proposal.lead_organisation),
        "sectors": sorted(s.code for s in proposal.sectors.all()),
        "countries": sorted(c.code for c in countries),
        "pathfinder_countries": sorted(c.code for c in countries if _pathfinder_of(c)),
    }
