"""The secretariat's selection pages: the rules (and the runs), a run, two runs compared."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.outbox.models import batch_key
from deepdive.proposals import access
from deepdive.series.models import Call
from deepdive.webinars import operations as webinar_operations
from deepdive.webinars.models import Webinar
from deepdive.webinars.queries import timetable_rules_of

from . import decisions, operations, queries
from .forms import CompareForm, ConfirmForm, HostingForm, RulesForm
from .models import Decision, SelectionRun
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
            refused.show_on(form)
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
    call = selection_run.call
    context = _decision_context(call)
    batch = selection_run.result.get("decision_batch")
    return render(
        request,
        "selection/run.html",
        {
            "call": call,
            "report": queries.run_report(selection_run),
            **context,
            "confirm_form": None if context["decisions"] else ConfirmForm(),
            "reviews_not_submitted": 0
            if context["decisions"]
            else queries.reviews_not_submitted(call),
            "batch_key": batch_key(batch) if batch else None,
            "changes": _changes(selection_run),
        },
    )


def _changes(selection_run: SelectionRun) -> dict | None:
    """What a promotion changed, with titles in place of the optimiser's ids."""
    changes = selection_run.result.get("changes")
    if not changes:
        return None
    facts = selection_run.proposals

    def title(pid: str) -> str:
        return facts.get(pid, {}).get("title", pid)

    return {
        "left": [title(pid) for pid in changes["left"]],
        "came_in": [title(pid) for pid in changes["came_in"]],
        "objective_before": changes["objective_before"],
        "objective_after": changes["objective_after"],
    }


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


def _decision_context(call: Call) -> dict:
    listed = list(decisions.confirmed_decisions(call))
    by_outcome = {key: [d for d in listed if d.outcome == key] for key in Decision.Outcome.values}
    return {
        "decisions": listed,
        "selected": by_outcome["selected"],
        "waitlisted": by_outcome["waitlisted"],
        "not_selected": by_outcome["not_selected"],
        "declined": [d for d in by_outcome["selected"] if d.host_status == "declined"],
    }


@secretariat_required
@require_http_methods(["POST"])
def confirm(request, pk: int):
    selection_run = get_object_or_404(SelectionRun.objects.select_related("call"), pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date by which the hosts confirm."))
        return redirect(selection_run)
    deadline = decisions.end_of_day(form.cleaned_data["host_deadline"], selection_run.call)
    try:
        decisions.confirm_run(actor=request.user, run=selection_run, host_deadline=deadline)
    except decisions.DecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("The run is the decision. The e-mails are drafted: read and approve them."),
        )
    return redirect(selection_run)


@secretariat_required
@require_http_methods(["POST"])
def promote(request, call_id: int):
    call = _call(call_id)
    try:
        new_run = decisions.promote_from_waitlist(actor=request.user, call=call)
    except decisions.DecisionRefused as refused:
        messages.error(request, str(refused))
        confirmed = queries.runs_of(call).filter(status=SelectionRun.Status.CONFIRMED).first()
        return redirect(confirmed or reverse("selection:rules", kwargs={"call_id": call.pk}))
    messages.success(request, _("Promoted from the waitlist. Here is what changed."))
    return redirect(new_run)


@login_required
@require_http_methods(["GET", "POST"])
def host(request, proposal_id: int):
    """The host's page: confirm (with their availability) or decline; once confirmed, their
    availability, which they may change until the webinar's time is published."""
    proposal = get_object_or_404(
        access.editable_proposals(request.user).select_related("call"), pk=proposal_id
    )
    decision = get_object_or_404(Decision, proposal=proposal, outcome=Decision.Outcome.SELECTED)
    webinar = Webinar.objects.filter(proposal=proposal).first()
    ranges, days = webinar_operations.availability_of(webinar)
    today = timezone.localdate()
    form = HostingForm(
        request.POST if request.method == "POST" else None,
        today=today,
        initial=HostingForm.initial_for(ranges=ranges, days=days)
        if webinar
        else HostingForm.initial_from_proposal(proposal.unavailable_dates),
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("confirm", "decline", "availability"):
            return redirect("selection:host", proposal_id=proposal.pk)
        if action == "decline" or form.is_valid():
            try:
                if action == "decline":
                    decisions.answer_hosting(actor=request.user, decision=decision, confirm=False)
                elif action == "confirm":
                    decisions.answer_hosting(
                        actor=request.user, decision=decision, confirm=True, **form.availability()
                    )
                elif webinar is None:  # confirmed before availability was asked for
                    webinar_operations.create_for_decision(
                        actor=request.user, decision=decision, **form.availability()
                    )
                else:
                    webinar_operations.update_availability(
                        actor=request.user, webinar=webinar, **form.availability()
                    )
            except (decisions.DecisionRefused, webinar_operations.WebinarRefused) as refused:
                messages.error(request, str(refused))
                return redirect("selection:host", proposal_id=proposal.pk)
            except webinar_operations.AvailabilityInvalid as invalid:
                invalid.show_on(form)
            else:
                messages.success(
                    request,
                    _("Your availability is saved.")
                    if action == "availability"
                    else _("Thank you: your answer is saved."),
                )
                return redirect("selection:host", proposal_id=proposal.pk)
    rules = timetable_rules_of(proposal.call)
    return render(
        request,
        "selection/host.html",
        {
            "proposal": proposal,
            "decision": decision,
            "can_answer": decisions.can_answer(decision),
            "zone": proposal.call.timezone,
            "webinar": webinar,
            "ranges": ranges,
            "days": days,
            "form": form,
            "rules": rules,
        },
    )
