"""Pages of the reviewer pool: the secretariat's round settings, pool and conflicts; a
person's invitations and expertise; a reviewer declaring a conflict."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.series.models import Call

from .. import queries_pool
from ..forms_pool import (
    AddReviewerForm,
    ConflictForm,
    ExpertiseForm,
    LoadsForm,
    ReasonForm,
    RoundForm,
)
from ..models import Reviewer
from ..operations import pool as operations

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _call(call_id: int) -> Call:
    return get_object_or_404(Call.objects.select_related("series"), pk=call_id)


def _loads_prefix(reviewer_id: int) -> str:
    return f"loads-{reviewer_id}"


# --------------------------------------------------------------- the secretariat's pages


def _pool_page(request, call: Call, *, round_form=None, add_form=None, loads_form=None):
    """The pool page; ``loads_form`` is a bound row form whose errors are shown in its row."""
    review_round = queries_pool.round_for(call)
    rows = queries_pool.pool_rows(call, review_round)
    for row in rows:
        reviewer = row.reviewer
        if loads_form is not None and loads_form.prefix == _loads_prefix(reviewer.pk):
            row.loads_form = loads_form
        else:
            row.loads_form = LoadsForm(
                prefix=_loads_prefix(reviewer.pk),
                initial={"min_load": reviewer.min_load, "max_load": reviewer.max_load},
            )
    has_errors = any(f is not None and f.errors for f in (round_form, add_form, loads_form))
    return render(
        request,
        "reviews/pool/pool.html",
        {
            "call": call,
            "review_round": review_round,
            "round_form": round_form or RoundForm(initial=RoundForm.initial_for(review_round)),
            "add_form": add_form or AddReviewerForm(),
            "rows": rows,
            "counts": queries_pool.pool_counts(call),
        },
        status=400 if has_errors else 200,
    )


@secretariat_required
@GET_POST
def pool(request, call_id: int):
    """The round's settings (POST saves them) and the pool."""
    call = _call(call_id)
    if request.method != "POST":
        return _pool_page(request, call)
    form = RoundForm(request.POST)
    if form.is_valid():
        review_round = operations.ensure_round(call=call)
        try:
            changes = operations.update_round(
                actor=request.user, review_round=review_round, **form.round_fields()
            )
        except operations.PoolError as error:
            error.show_on(form)
        else:
            if changes:
                messages.success(request, _("The review settings were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("reviews:pool", call_id=call.pk)
    return _pool_page(request, call, round_form=form)


@secretariat_required
@require_POST
def pool_add(request, call_id: int):
    call = _call(call_id)
    form = AddReviewerForm(request.POST)
    if form.is_valid():
        try:
            reviewer = operations.add_reviewer(
                actor=request.user,
                call=call,
                email=form.cleaned_data["email"],
                min_load=form.cleaned_data["min_load"],
                max_load=form.cleaned_data["max_load"],
            )
        except operations.PoolError as error:
            error.show_on(form)
        else:
            if reviewer.status == Reviewer.Status.ACTIVE:
                text = _("%(email)s (secretariat) is now in the reviewer pool.")
            else:
                text = _("%(email)s was invited by e-mail to join the reviewer pool.")
            messages.success(request, text % {"email": reviewer.email})
            return redirect("reviews:pool", call_id=call.pk)
    return _pool_page(request, call, add_form=form)


@secretariat_required
@require_POST
def pool_add_secretariat(request, call_id: int):
    call = _call(call_id)
    added = operations.add_secretariat_staff(actor=request.user, call=call)
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d secretariat member was added to the pool.",
                "%(count)d secretariat members were added to the pool.",
                len(added),
            )
            % {"count": len(added)},
        )
    else:
        messages.info(request, _("Every secretariat member is already in the pool."))
    return redirect("reviews:pool", call_id=call.pk)


@secretariat_required
@require_POST
def pool_loads(request, call_id: int, reviewer_id: int):
    call = _call(call_id)
    reviewer = get_object_or_404(Reviewer, pk=reviewer_id, call=call)
    form = LoadsForm(request.POST, prefix=_loads_prefix(reviewer.pk))
    if form.is_valid():
        try:
            changes = operations.update_loads(
                actor=request.user,
                reviewer=reviewer,
                min_load=form.cleaned_data["min_load"],
                max_load=form.cleaned_data["max_load"],
            )
        except operations.PoolError as error:
            error.show_on(form)
        else:
            if changes:
                messages.success(
                    request, _("The loads of %(reviewer)s were saved.") % {"reviewer": reviewer}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("reviews:pool", call_id=call.pk)
    return _pool_page(request, call, loads_form=form)


@secretariat_required
@GET_POST
def pool_remove(request, call_id: int, reviewer_id: int):
    """GET: the confirmation; POST: the removal."""
    call = _call(call_id)
    reviewer = get_object_or_404(Reviewer.objects.select_related("user"), pk=reviewer_id, call=call)
    if request.method == "POST":
        removal = operations.remove_reviewer(actor=request.user, reviewer=reviewer)
        messages.success(
            request,
            ngettext(
                "%(reviewer)s was removed from the pool; %(count)d assignment is to be "
                "reassigned. Their submitted reviews are kept.",
                "%(reviewer)s was removed from the pool; %(count)d assignments are to be "
                "reassigned. Their submitted reviews are kept.",
                removal.flagged,
            )
            % {"reviewer": reviewer, "count": removal.flagged},
        )
        return redirect("reviews:pool", call_id=call.pk)
    return render(request, "reviews/pool/remove_confirm.html", {"call": call, "reviewer": reviewer})


def _conflicts_page(request, call: Call, *, add_form=None, lift_form=None, lift_id=None):
    declared = list(queries_pool.declared_conflicts(call))
    for conflict in declared:
        if conflict.lifted_at is None:
            bound = lift_form if lift_id == conflict.pk else None
            conflict.lift_form = bound or ReasonForm(prefix=f"lift-{conflict.pk}")
    add_form = add_form or ConflictForm(
        reviewers=queries_pool.in_pool(call), proposals=queries_pool.call_proposals(call)
    )
    has_errors = bool(add_form.errors or (lift_form is not None and lift_form.errors))
    return render(
        request,
        "reviews/pool/conflicts.html",
        {
            "call": call,
            "automatic": queries_pool.automatic_conflicts(call),
            "declared": declared,
            "add_form": add_form,
        },
        status=400 if has_errors else 200,
    )


@secretariat_required
@GET_POST
def conflicts(request, call_id: int):
    """Automatic and declared conflicts; POST declares one."""
    call = _call(call_id)
    if request.method != "POST":
        return _conflicts_page(request, call)
    form = ConflictForm(
        request.POST,
        reviewers=queries_pool.in_pool(call),
        proposals=queries_pool.call_proposals(call),
    )
    if form.is_valid():
        try:
            operations.declare_conflict(
                actor=request.user,
                reviewer=form.cleaned_data["reviewer"],
                proposal=form.cleaned_data["proposal"],
                reason=form.cleaned_data["reason"],
            )
        except operations.PoolError as error:
            error.show_on(form)
        else:
            messages.success(request, _("The conflict was recorded."))
            return redirect("reviews:conflicts", call_id=call.pk)
    return _conflicts_page(request, call, add_form=form)


@secretariat_required
@require_POST
def conflict_lift(request, call_id: int, conflict_id: int):
    call = _call(call_id)
    conflict = queries_pool.find_conflict(call, conflict_id)
    if conflict is None:
        raise Http404
    form = ReasonForm(request.POST, prefix=f"lift-{conflict.pk}")
    if form.is_valid():
        try:
            operations.lift_conflict(
                actor=request.user, conflict=conflict, reason=form.cleaned_data["reason"]
            )
        except operations.PoolError as error:
            error.show_on(form)
        else:
            messages.success(request, _("The conflict was lifted."))
            return redirect("reviews:conflicts", call_id=call.pk)
    return _conflicts_page(request, call, lift_form=form, lift_id=conflict.pk)


# ------------------------------------------------------------------- a person's pages


@login_required
@require_safe
def invitations(request):
    return render(
        request,
        "reviews/pool/invitations.html",
        {
            "invitations": queries_pool.invitations_for(request.user),
            "pools": queries_pool.pools_of(request.user),
        },
    )


@login_required
@require_POST
def invitation_answer(request, reviewer_id: int):
    """Accept (then the expertise profile) or decline an invitation sent to one of the
    person's verified addresses; anything else is a 404."""
    reviewer = queries_pool.find_invitation(request.user, reviewer_id)
    if reviewer is None:
        raise Http404
    try:
        if request.POST.get("decision") == "accept":
            operations.accept_invitation(actor=request.user, reviewer=reviewer)
            messages.success(
                request,
                _("Welcome to the reviewer pool. Tell the secretariat what you know best."),
            )
            return redirect("reviews:expertise", reviewer_id=reviewer.pk)
        if request.POST.get("decision") == "decline":
            operations.decline_invitation(actor=request.user, reviewer=reviewer)
            messages.info(request, _("You declined the invitation."))
            return redirect("reviews:invitations")
    except operations.PoolError as error:
        messages.error(request, str(error))
        return redirect("reviews:invitations")
    raise Http404


@login_required
@GET_POST
def expertise(request, reviewer_id: int):
    """The reviewer's own expertise profile."""
    reviewer = queries_pool.own_reviewer(request.user, reviewer_id)
    if reviewer is None:
        raise Http404
    form = ExpertiseForm(request.POST or None, initial=ExpertiseForm.initial_for(reviewer))
    if request.method == "POST" and form.is_valid():
        try:
            operations.update_expertise(actor=request.user, reviewer=reviewer, **form.cleaned_data)
        except operations.PoolError as error:
            error.show_on(form)
        else:
            messages.success(request, _("Your expertise profile was saved."))
            return redirect("reviews:expertise", reviewer_id=reviewer.pk)
    return render(
        request,
        "reviews/pool/expertise.html",
        {"reviewer": reviewer, "call": reviewer.call, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@GET_POST
def declare_conflict(request, proposal_id: int):
    """A reviewer declares a conflict with a proposal assigned to them."""
    found = queries_pool.declarable(request.user, proposal_id)
    if found is None:
        raise Http404
    reviewer, proposal = found
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operations.declare_conflict(
                actor=request.user,
                reviewer=reviewer,
                proposal=proposal,
                reason=form.cleaned_data["reason"],
            )
        except operations.PoolError as error:
            error.show_on(form)
        else:
            messages.success(
                request, _("You declared a conflict; the secretariat will reassign this proposal")
            )
            return redirect("reviews:mine")
    return render(
        request,
        "reviews/pool/declare_conflict.html",
        {"reviewer": reviewer, "proposal": proposal, "form": form},
        status=400 if form.errors else 200,
    )
