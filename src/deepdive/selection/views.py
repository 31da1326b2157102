"""The secretariat's selection pages: the rules (and the runs), a run, two runs compared."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.series.models import Call

from . import operations, queries
from .forms import CompareForm, RulesForm
from .models import SelectionRun
from .optimiser_input import call_outcomes, call_themes, rule_set


def _call(call_id: int) -> Call:
    return get_object_or_404(Call.objects.select_related("series"), pk=call_id)


@secretariat_required
@require_http_methods(["GET", "POST"])
def rules(request, call_id: int):
    call = _call(call_id)
    rows = queries.proposals_for_rules(call)
    form = RulesForm(
        request.POST or None,
        themes=call_themes(call),
        outcomes=call_outcomes(call),
        proposal_ids=[row.proposal.pk for row in rows],
        rules=rule_set(call),
    )
    if request.method == "POST" and form.is_valid():
        try:
            operations.update_rules(actor=request.user, call=call, **form.rules_kwargs())
        except operations.RulesInvalid as refused:
            for field, errors in refused.errors.items():
                for error in errors:
                    form.add_error(field or None, error)
        else:
            if request.POST.get("action") == "run":
                run = operations.run_selection(actor=request.user, call=call)
                messages.success(request, _("The selection ran. Here is its result."))
                return redirect(run)
            messages.success(request, _("The selection rules are saved."))
            return redirect("selection:rules", call_id=call.pk)
    runs = list(queries.runs_of(call))
    return render(
        request,
        "selection/rules.html",
        {
            "call": call,
            "form": form,
            "rows": rows,
            "locked_in": {int(v) for v in form["include"].value() or []},
            "locked_out": {int(v) for v in form["exclude"].value() or []},
            "saved": rule_set(call).saved,
            "runs": runs,
            "compare_form": CompareForm(runs=runs, initial={"a": runs[1].pk, "b": runs[0].pk})
            if len(runs) >= 2
            else None,
        },
    )


@secretariat_required
@require_safe
def run(request, pk: int):
    selection_run = get_object_or_404(
        SelectionRun.objects.select_related("call__series", "created_by"), pk=pk
    )
    return render(
        request,
        "selection/run.html",
        {"call": selection_run.call, "report": queries.run_report(selection_run)},
    )


@secretariat_required
@require_safe
def compare(request, call_id: int):
    call = _call(call_id)
    runs = list(queries.runs_of(call))
    form = CompareForm(request.GET or None, runs=runs)
    comparison = None
    if form.is_bound and form.is_valid():
        by_pk = {r.pk: r for r in runs}
        a, b = by_pk.get(form.cleaned_data["a"]), by_pk.get(form.cleaned_data["b"])
        if a is None or b is None:
            raise Http404
        comparison = queries.compare(a, b)
    return render(
        request,
        "selection/compare.html",
        {"call": call, "form": form, "comparison": comparison, "runs": runs},
    )
