"""Writes of the selection: a call's rules, and runs of the ``select`` optimiser.

Each function takes keyword arguments only, checks the actor's right on the server, writes in
one transaction and records an audit entry. Refusals raise ``RulesInvalid`` whose ``errors`` are
{form field: [message]} for the person, beside the field they belong to ("" for the whole form).
"""

from __future__ import annotations

from typing import Any

# PermissionDenied is raised for others than the right actor; callers catch it from here too.
from django.core.exceptions import PermissionDenied as PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import audit
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused
from deepdive.optimize.select import parse, solve, to_json
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call

from .actions import SelectionAction
from .evaluation import evaluate, top_by_score
from .models import SelectionRules, SelectionRun
from .optimiser_input import DEFAULT_WEIGHTS, build, rule_set

MAX_FIELDS = ("max_per_organisation", "max_per_lead_org_type", "max_per_region")


class RulesInvalid(Refused):
    """The rules given cannot be saved; ``errors`` is {form field: [messages]} ("" for the
    whole form)."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(errors=errors)


def update_rules(
    *,
    actor: User,
    call: Call,
    seats: int,
    min_per_theme: dict[str, int],
    min_per_outcome: dict[str, int],
    max_per_organisation: int | None,
    max_per_lead_org_type: int | None,
    max_per_region: int | None,
    weights: dict[str, float],
    include: list[int],
    exclude: list[int],
) -> SelectionRules:
    """Save the selection rules of ``call`` (created on first save).

    Refused, with messages beside the fields: fewer than one seat; a negative minimum; a cap
    below one; a negative weight; a proposal both locked in and locked out; a locked proposal
    that is not a submitted proposal of the call. More proposals locked in than seats is
    allowed: the run then says which rules contradict each other.

    Side effects: the ``SelectionRules`` row of the call, its locks; one audit entry
    ("selection.rules_updated") with what changed.
    """
    require_secretariat(actor)
    errors: dict[str | None, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if seats is None or seats < 1:
        refuse("seats", _("Select at least one webinar."))
    for code, minimum in min_per_theme.items():
        if minimum is None or minimum < 0:
            refuse(f"min_theme_{code}", _("Give a minimum of 0 or more."))
    for number, minimum in min_per_outcome.items():
        if minimum is None or minimum < 0:
            refuse(f"min_outcome_{number}", _("Give a minimum of 0 or more."))
    caps = {
        "max_per_organisation": max_per_organisation,
        "max_per_lead_org_type": max_per_lead_org_type,
        "max_per_region": max_per_region,
    }
    for field, value in caps.items():
        if value is not None and value < 1:
            refuse(field, _("Give 1 or more, or leave it empty for no limit."))
    for key in DEFAULT_WEIGHTS:
        weight = weights.get(key)
        if weight is None or weight < 0:
            refuse(f"weight_{key}", _("Give a weight of 0 or more."))
    both = set(include) & set(exclude)
    if both:
        titles = ", ".join(f"“{p}”" for p in Proposal.objects.filter(pk__in=both).order_by("pk"))
        refuse(
            "exclude",
            _("A proposal cannot be both locked in and locked out: %(titles)s.")
            % {"titles": titles},
        )
    allowed = set(
        Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED).values_list(
            "pk", flat=True
        )
    )
    if set(include) - allowed or set(exclude) - allowed:
        refuse("", _("Only submitted proposals of this call can be locked in or out."))
    if errors:
        raise RulesInvalid(errors)

    with transaction.atomic():
        before = rule_set(call).snapshot()
        rules, _created = SelectionRules.objects.select_for_update().get_or_create(
            call=call, defaults={"seats": seats}
        )
        rules.seats = seats
        rules.min_per_theme = {str(k): int(v) for k, v in min_per_theme.items()}
        rules.min_per_outcome = {str(k): int(v) for k, v in min_per_outcome.items()}
        for field, value in caps.items():
            setattr(rules, field, value)
        for key in DEFAULT_WEIGHTS:
            setattr(rules, f"weight_{key}", float(weights[key]))
        rules.updated_by = actor
        rules.save()
        rules.include.set(sorted(set(include)))
        rules.exclude.set(sorted(set(exclude)))
        after = rule_set(call).snapshot()
        changes = {
            key: [str(before[key]), str(after[key])]
            for key in after
            if before.get(key) != after[key]
        }
        audit.record(
            actor=actor,
            action=SelectionAction.RULES_UPDATED,
            subject=call,
            summary=f"Selection rules of {call} saved",
            changes=changes,
        )
    return rules


def solve_input(data: dict[str, Any]) -> tuple[Any, Any, dict[str, Any]]:
    """Run the ``select`` optimiser on ``data``: (problem, result, the result as a run stores
    it, with each proposal's explanation details for the run page: its code, figures and the
    reason as data, which ``explain.py`` words in the reader's language)."""
    problem = parse(data)
    result = solve(problem)
    out = to_json(result)
    out["details"] = {
        pid: {
            "selected": e.selected,
            "code": e.code,
            "forced_in_loss": e.forced_in_loss,
            "forced_in_exact": e.forced_in_exact,
            "forced_in_extra_shortfall": e.forced_in_extra_shortfall,
            "reason": e.reason,
        }
        for pid, e in result.explanations.items()
    }
    return problem, result, out


def run_selection(*, actor: User, call: Call, note: str = "") -> SelectionRun:
    """Run the ``select`` optimiser over the calibrated scores of the call's submitted
    proposals under its current rules (saved, or the defaults), and keep the run.

    The input is built and the optimiser runs (up to 30 seconds) outside any transaction; the
    run is then written in one. The "top N by score" (N = the seats, or fewer proposals) is
    measured by the same objective and stored beside the result for the comparison.

    Side effects: one ``SelectionRun`` (status "proposed"); one audit entry
    ("selection.run") naming the solver status and the objective.
    """
    require_secretariat(actor)
    rules = rule_set(call)
    built = build(call, rules)
    problem, result, out = solve_input(built.input)
    n = min(problem.seats, len(problem.proposals))
    top = evaluate(problem, top_by_score(problem, n))
    top["n"] = n

    with transaction.atomic():
        run = SelectionRun.objects.create(
            call=call,
            rules=rules.snapshot(),
            input=built.input,
            result=out,
            top_n=top,
            proposals=built.facts,
            unscored=built.unscored,
            solver_status=result.status,
            objective=None if result.objective is None else round(result.objective, 9),
            shortfall=result.shortfall,
            note=note,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=SelectionAction.RUN,
            subject=run,
            summary=f"Selection run {run.pk} of {call}: {result.status}",
            changes={"objective": [None, out["objective"]], "selected": [None, out["selected"]]},
        )
    return run
