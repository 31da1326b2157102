"""Reads of the selection pages: the rules page's proposals and runs, a run's report (chosen
series, coverage beside the top N by score, unmet quotas or conflicting rules, why each other
proposal is out) and the comparison of two runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deepdive.directory.models import Organisation
from deepdive.optimize.select import SelectProblem, parse
from deepdive.proposals.models import Proposal
from deepdive.reference.models import Country, PartnerType, Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.reviews.queries_assignment import outstanding_reviews
from deepdive.reviews.queries_reviewing import calibrated_scores
from deepdive.series.models import Call

from .evaluation import contributions, evaluate
from .explain import Wording, negative_gain
from .models import SelectionRun
from .optimiser_input import CRITERIA_COUNT, call_outcomes, pk_of, proposal_id

# --- Labels -------------------------------------------------------------------------------------


class Labels:
    """Names, in the reader's language, for the codes a run stores."""

    def __init__(self, call: Call):
        self.org_types = {t.code: str(t) for t in PartnerType.objects.all()}
        self.themes = {t.code: str(t) for t in Theme.objects.all()}
        self.sectors = {s.code: str(s) for s in Sector.objects.all()}
        self.regions = {code: str(label) for code, label in IloRegion.choices}
        self.outcomes = {str(o.number): str(o) for o in call_outcomes(call)}
        self._countries: dict[str, str] | None = None

    def country(self, code: str) -> str:
        if self._countries is None:
            self._countries = {c.code: str(c) for c in Country.objects.all()}
        return self._countries.get(code, code)

    def outcome(self, number: Any) -> str:
        return self.outcomes.get(str(number)) or _("Outcome %(number)s") % {"number": number}

    def quota(self, name: str) -> str:
        kind, _dot, key = name.partition(".")
        if kind == "min_per_theme":
            return _("Theme: %(theme)s") % {"theme": self.themes.get(key, key)}
        if kind == "min_per_outcome":
            return self.outcome(key)
        return name


RULE_LABELS = {
    "seats": lambda: _("Webinars to select"),
    "include": lambda: _("Proposals locked in"),
    "exclude": lambda: _("Proposals locked out"),
    "max_per_organisation": lambda: _("At most per organisation"),
    "max_per_lead_org_type": lambda: _("At most per lead partner type"),
    "max_per_region": lambda: _("At most per region"),
}


def rule_label(name: str) -> str:
    return RULE_LABELS[name]() if name in RULE_LABELS else name


def reason_for(code: str) -> str:
    """The reason code of the optimiser in a sentence for the person."""
    reasons = {
        "excluded": _("Locked out by the rules."),
        "cannot_fit": _("No selection with it keeps the hard rules."),
        "quota_cost": _("With it, the minimums per theme or Outcome would fall further short."),
        "lower_objective": _("Others do better: with it forced in, the objective falls."),
        "tie": _("A tie: a selection with it is as good; the optimiser kept the other."),
        "no_swap": _("No single swap with a selected proposal keeps the hard rules."),
        "time_limit": _(
            "The optimiser stopped at its time limit before finding a selection with it."
        ),
        "no_solution": _("No selection was made: the rules contradict each other."),
        "selected": _("Selected."),
        "included": _("Selected: locked in by the rules."),
    }
    return reasons.get(code, code)


# --- The rules page -----------------------------------------------------------------------------


@dataclass
class ProposalRow:
    proposal: Proposal
    calibrated: float | None  # 4..20
    score: float | None  # the mean per criterion, 1..5, what the optimiser gets

    @property
    def scored(self) -> bool:
        return self.calibrated is not None


def proposals_for_rules(call: Call) -> list[ProposalRow]:
    """The submitted proposals of the call, best calibrated total first (unscored last)."""
    scores = calibrated_scores(call)
    proposals = (
        Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED)
        .select_related("lead_organisation")
        .order_by("pk")
    )
    rows = [
        ProposalRow(
            p,
            scores.get(p.pk),
            None if p.pk not in scores else scores[p.pk] / CRITERIA_COUNT,
        )
        for p in proposals
    ]
    rows.sort(key=lambda r: (r.calibrated is None, -(r.calibrated or 0), r.proposal.pk))
    return rows


def reviews_not_submitted(call: Call) -> int:
    """How many assigned reviews of the call are not submitted yet: confirming a run before
    they are in decides on incomplete scores (the page warns, the secretariat may go on)."""
    return outstanding_reviews(call)


def runs_of(call: Call):
    return SelectionRun.objects.filter(call=call).select_related("created_by")


# --- A run's report -----------------------------------------------------------------------------


@dataclass
class Chosen:
    id: str
    title: str
    lead: str
    pk: int | None
    score: float
    value: float
    adds: list[str]
    explanation: str
    locked_in: bool


@dataclass
class LeftOut:
    id: str
    title: str
    lead: str
    pk: int | None
    score: float
    code: str
    reason: str
    explanation: str
    beaten_by: list[str]
    forced_in_loss: float | None
    forced_in_exact: bool
    forced_in_extra_shortfall: int | None


@dataclass
class CoverageRow:
    label: str
    chosen: int
    top: int


@dataclass
class CoverageSection:
    title: str
    rows: list[CoverageRow]
    covered_chosen: int = 0
    covered_top: int = 0
    count_only: bool = False  # one row that counts proposals (joint, Pathfinder)

    @property
    def gain(self) -> int:
        return self.covered_chosen - self.covered_top


@dataclass
class Report:
    run: SelectionRun
    problem: SelectProblem
    chosen: list[Chosen]
    left_out: list[LeftOut]
    unscored: list[Proposal]
    coverage: list[CoverageSection]
    top_ids: list[str]
    top_titles: list[str]
    chosen_eval: dict[str, Any]
    top_eval: dict[str, Any]
    short: list[tuple[str, int]]
    top_short: list[tuple[str, int]]
    conflicts: list[str]
    conflict_reason: str
    rules: list[tuple[str, str]] = field(default_factory=list)
    gain_note: str = ""  # why the chosen series is worth less than the top by score

    @property
    def objective_gain(self) -> float | None:
        if self.run.objective is None:
            return None
        return self.run.objective - (self.top_eval.get("objective") or 0.0)

    @property
    def same_as_top(self) -> bool:
        return set(self.top_ids) == set(self.run.result.get("selected", []))


def _titles(run: SelectionRun):
    facts = run.proposals or {}

    def title(pid: str) -> str:
        return facts.get(pid, {}).get("title") or pid

    def readable(sentence: str, own: str = "") -> str:
        """The optimiser's sentence with proposal ids replaced by titles."""

        def swap(match: re.Match) -> str:
            pid = match.group(0)
            return f"“{title(pid)}”" if pid in facts else pid

        return re.sub(r"\bp\d+\b", swap, sentence or "")

    return facts, title, readable


def _counts(ids: list[str], facts: dict, key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for pid in ids:
        for code in facts.get(pid, {}).get(key, []):
            out[code] = out.get(code, 0) + 1
    return out


def _section(title: str, chosen: dict, top: dict, names: dict[str, str]) -> CoverageSection:
    keys = list(names) + sorted(k for k in set(chosen) | set(top) if k not in names)
    rows = [
        CoverageRow(names.get(k, k), chosen.get(k, 0), top.get(k, 0))
        for k in keys
        if chosen.get(k) or top.get(k) or k in names
    ]
    return CoverageSection(
        title,
        rows,
        covered_chosen=sum(1 for k in keys if chosen.get(k)),
        covered_top=sum(1 for k in keys if top.get(k)),
    )


def coverage(
    labels: Labels, chosen_ids: list[str], other_ids: list[str], facts: dict, problem
) -> list[CoverageSection]:
    """Coverage of two sets side by side: partner types, ILO regions, themes, Outcomes,
    sectors, Pathfinder Countries, joint proposals."""
    a, b = evaluate(problem, chosen_ids), evaluate(problem, other_ids)
    used_types = set(a["org_types"]) | set(b["org_types"])
    used_sectors = set(_counts(chosen_ids, facts, "sectors")) | set(
        _counts(other_ids, facts, "sectors")
    )
    theme_codes = {t for p in problem.proposals for t in p.themes} | set(
        problem.rules.min_per_theme
    )
    pathfinder_a = _counts(chosen_ids, facts, "pathfinder_countries")
    pathfinder_b = _counts(other_ids, facts, "pathfinder_countries")
    sections = [
        _section(
            _("Partner types"),
            a["org_types"],
            b["org_types"],
            {k: v for k, v in labels.org_types.items() if k in used_types},
        ),
        _section(_("ILO regions"), a["regions"], b["regions"], labels.regions),
        _section(
            _("Themes"),
            a["themes"],
            b["themes"],
            {k: v for k, v in labels.themes.items() if k in theme_codes},
        ),
        _section(_("Outcomes"), a["outcomes"], b["outcomes"], labels.outcomes),
        _section(
            _("Sectors"),
            _counts(chosen_ids, facts, "sectors"),
            _counts(other_ids, facts, "sectors"),
            {k: v for k, v in labels.sectors.items() if k in used_sectors},
        ),
        _section(
            _("Pathfinder Countries"),
            pathfinder_a,
            pathfinder_b,
            {c: labels.country(c) for c in sorted(set(pathfinder_a) | set(pathfinder_b))},
        ),
    ]
    joint = CoverageSection(
        _("Joint proposals"),
        [CoverageRow(_("Proposals with two or more organisations"), a["joint"], b["joint"])],
        covered_chosen=a["joint"],
        covered_top=b["joint"],
        count_only=True,
    )
    pathfinder = CoverageSection(
        _("Action in Pathfinder Countries"),
        [
            CoverageRow(
                _("Proposals with action in a Pathfinder Country"), a["pathfinder"], b["pathfinder"]
            )
        ],
        covered_chosen=a["pathfinder"],
        covered_top=b["pathfinder"],
        count_only=True,
    )
    return [*sections, joint, pathfinder]


def _adds(labels: Labels, item: dict[str, Any]) -> list[str]:
    out = []
    if item["joint"]:
        out.append(_("a joint proposal"))
    if item["pathfinder"]:
        out.append(_("action in a Pathfinder Country"))
    for code in item["new_org_types"]:
        out.append(_("the only %(type)s") % {"type": labels.org_types.get(code, code)})
    for code in item["new_regions"]:
        out.append(_("the only one in %(region)s") % {"region": labels.regions.get(code, code)})
    for code in item["needed_themes"]:
        out.append(
            _("needed for the minimum of %(theme)s") % {"theme": labels.themes.get(code, code)}
        )
    for number in item["needed_outcomes"]:
        out.append(_("needed for the minimum of Outcome %(number)s") % {"number": number})
    return out


def rules_summary(labels: Labels, rules: dict[str, Any], facts: dict | None = None) -> list:
    """The rules of a snapshot as (label, value) pairs, in the reader's language."""
    none = _("no limit")
    out = [(_("Webinars to select"), str(rules.get("seats")))]
    for code, n in sorted(rules.get("min_per_theme", {}).items()):
        out.append(
            (_("At least, theme %(theme)s") % {"theme": labels.themes.get(code, code)}, str(n))
        )
    for number, n in sorted(rules.get("min_per_outcome", {}).items(), key=lambda kv: int(kv[0])):
        out.append((_("At least, Outcome %(number)s") % {"number": number}, str(n)))
    for key in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        value = rules.get(key)
        out.append((rule_label(key), none if value is None else str(value)))
    weight_labels = {
        "joint": _("Weight of a joint proposal"),
        "pathfinder": _("Weight of action in Pathfinder Countries"),
        "org_type_coverage": _("Weight of each partner type covered"),
        "region_coverage": _("Weight of each ILO region covered"),
    }
    for key, label in weight_labels.items():
        out.append((label, f"{rules.get('weights', {}).get(key, 0):g}"))
    facts = facts or {}
    for key in ("include", "exclude"):
        pks = rules.get(key, [])
        names = [facts.get(proposal_id(pk), {}).get("title") or f"#{pk}" for pk in pks]
        out.append((rule_label(key), ", ".join(names) or "—"))
    return out


def _organisation_names(details: dict) -> Callable[[str], str]:
    """An organisation's optimiser id ("o7") to its name, for the organisations the reasons
    name."""
    keys = {
        item.get("key", "")
        for detail in details.values()
        for item in (detail.get("reason") or {}).get("breaks", [])
        if item.get("rule") == "max_per_organisation"
    }
    pks = {pk for key in keys if (pk := pk_of(key)) is not None}
    names = {f"o{o.pk}": str(o) for o in Organisation.objects.filter(pk__in=pks)}
    return lambda key: names.get(key, _("an organisation"))


def _explanation(wording: Wording, detail: dict, code: str) -> str:
    """The reason of one proposal, worded for the reader (codes named, figures rounded); runs
    stored before the reasons were kept as data get the reason's kind alone."""
    reason = detail.get("reason")
    if reason is None:
        return reason_for(code)
    if detail.get("selected"):
        return wording.selected(code, reason)
    return wording.left_out(code, reason, rule_label) or reason_for(code)


def _conflict_detail(sentence: str) -> str:
    """The optimiser's sentence on contradicting rules, with the rules' names for their codes;
    it is in English, so readers in another language get the names of the rules alone."""
    if not (get_language() or "en").startswith("en"):
        return ""
    return re.sub(
        r"\b(" + "|".join(RULE_LABELS) + r")\b",
        lambda m: f"“{rule_label(m.group(1))}”",
        sentence,
    )


def run_report(run: SelectionRun) -> Report:
    labels = Labels(run.call)
    problem = parse(run.input)
    facts, title, readable = _titles(run)
    result = run.result
    selected = list(result.get("selected", []))
    details = result.get("details", {})
    sentences = result.get("explanations", {})
    wording = Wording(labels, title, _organisation_names(details))
    top_ids = list(run.top_n.get("ids", []))
    adds = contributions(problem, selected)
    included = set(problem.rules.include)
    by_id = {p.id: p for p in problem.proposals}

    chosen = [
        Chosen(
            id=pid,
            title=title(pid),
            lead=facts.get(pid, {}).get("lead", ""),
            pk=pk_of(pid),
            score=by_id[pid].score,
            value=problem.value(by_id[pid]),
            adds=_adds(labels, adds[pid]),
            explanation=_explanation(
                wording,
                {"selected": True, **details.get(pid, {})},
                details.get(pid, {}).get("code", "selected"),
            ),
            locked_in=pid in included,
        )
        for pid in sorted(selected, key=lambda i: -by_id[i].score)
    ]
    left_out = []
    for p in sorted(problem.proposals, key=lambda p: -p.score):
        if p.id in selected:
            continue
        detail = details.get(p.id, {})
        sentence = sentences.get(p.id, "")
        named = (detail.get("reason") or {}).get("dropped") or re.findall(r"\bp\d+\b", sentence)
        beaten = [
            title(other) for other in dict.fromkeys(named) if other != p.id and other in selected
        ]
        left_out.append(
            LeftOut(
                id=p.id,
                title=title(p.id),
                lead=facts.get(p.id, {}).get("lead", ""),
                pk=pk_of(p.id),
                score=p.score,
                code=detail.get("code", ""),
                reason=reason_for(detail.get("code", "")),
                explanation=_explanation(wording, detail, detail.get("code", "")),
                beaten_by=beaten,
                forced_in_loss=detail.get("forced_in_loss"),
                forced_in_exact=detail.get("forced_in_exact", True),
                forced_in_extra_shortfall=detail.get("forced_in_extra_shortfall"),
            )
        )
    unscored = list(
        Proposal.objects.filter(pk__in=run.unscored).select_related("lead_organisation")
    )
    chosen_eval = evaluate(problem, selected)
    top_eval = evaluate(problem, top_ids)
    return Report(
        run=run,
        problem=problem,
        chosen=chosen,
        left_out=left_out,
        unscored=unscored,
        coverage=coverage(labels, selected, top_ids, facts, problem),
        top_ids=top_ids,
        top_titles=[title(pid) for pid in top_ids],
        chosen_eval=chosen_eval,
        top_eval=top_eval,
        short=[(labels.quota(s["quota"]), s["missing"]) for s in result.get("short", [])],
        top_short=[(labels.quota(s["quota"]), s["missing"]) for s in top_eval["short"]],
        conflicts=[rule_label(name) for name in result.get("conflicts", []) or []],
        conflict_reason=_conflict_detail(readable(result.get("reason", "") or ""))
        if result.get("conflicts") is not None
        else "",
        rules=rules_summary(labels, run.rules, facts),
        gain_note=negative_gain(
            None if run.objective is None else run.objective - (top_eval.get("objective") or 0.0),
            chosen_eval.get("shortfall") or 0,
            top_eval.get("shortfall") or 0,
        ),
    )


# --- Two runs side by side ----------------------------------------------------------------------


@dataclass
class Comparison:
    a: SelectionRun
    b: SelectionRun
    rule_rows: list[tuple[str, str, str, bool]]  # label, value in A, in B, differs
    in_both: list[str]
    only_a: list[str]
    only_b: list[str]
    coverage: list[CoverageSection]
    a_short: list[tuple[str, int]]
    b_short: list[tuple[str, int]]

    @property
    def objective_difference(self) -> float | None:
        if self.a.objective is None or self.b.objective is None:
            return None
        return self.b.objective - self.a.objective


def compare(a: SelectionRun, b: SelectionRun) -> Comparison:
    """Rules, chosen sets, objectives and coverage of two runs of the same call. Coverage is
    measured on run B's proposals (with A's that B lacks added); each run's unmet quotas are
    its own."""
    labels = Labels(a.call)
    facts = {**(a.proposals or {}), **(b.proposals or {})}
    rules_a = dict(rules_summary(labels, a.rules, facts))
    rules_b = dict(rules_summary(labels, b.rules, facts))
    keys = list(rules_a) + [k for k in rules_b if k not in rules_a]
    rule_rows = [
        (k, rules_a.get(k, "—"), rules_b.get(k, "—"), rules_a.get(k) != rules_b.get(k))
        for k in keys
    ]
    sel_a = list(a.result.get("selected", []))
    sel_b = list(b.result.get("selected", []))

    def title(pid: str) -> str:
        return facts.get(pid, {}).get("title") or pid

    # Measure both sets on one problem: B's, with A's proposals that B lacks added.
    data = dict(b.input)
    known = {p["id"] for p in data.get("proposals", [])}
    extra = [p for p in a.input.get("proposals", []) if p["id"] not in known]
    data["proposals"] = [*data.get("proposals", []), *extra]
    data["rules"] = {
        k: v for k, v in data.get("rules", {}).items() if k not in ("include", "exclude")
    }
    problem = parse(data)
    return Comparison(
        a=a,
        b=b,
        rule_rows=rule_rows,
        in_both=[title(p) for p in sel_a if p in sel_b],
        only_a=[title(p) for p in sel_a if p not in sel_b],
        only_b=[title(p) for p in sel_b if p not in sel_a],
        coverage=coverage(labels, sel_a, sel_b, facts, problem),
        a_short=[(labels.quota(s["quota"]), s["missing"]) for s in a.result.get("short", [])],
        b_short=[(labels.quota(s["quota"]), s["missing"]) for s in b.result.get("short", [])],
    )
