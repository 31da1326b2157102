"""The secretariat's pages of proposals: a call's table (search, filters, sort, counts,
near-duplicate warnings), one proposal with its history, and the table's export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.series.models import Call

from .. import operations, queries
from ..interfaces import exports
from ..interfaces.filters import ProposalFilter, ordered, sort_headers, sort_key
from ..interfaces.forms import InviteContactForm
from ..models import CoSubmitter

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _call(call_id: int) -> Call:
    return get_object_or_404(Call.objects.select_related("series"), pk=call_id)


def _filtered(request, call: Call):
    filterset = ProposalFilter(request.GET, queryset=queries.call_proposals(call), call=call)
    return filterset, ordered(filterset.qs, request.GET.get("sort"))


@secretariat_required
@require_safe
def manage_list(request, call_id):
    call = _call(call_id)
    filterset, proposals = _filtered(request, call)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queries.near_duplicates_of(call, list(page.object_list))
    return render(
        request,
        "proposals/manage/list.html",
        {
            "call": call,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "counts": queries.call_counts(call),
            "sort": sort_key(request.GET.get("sort")),
            "headers": sort_headers(request.GET.get("sort")),
        },
    )


@secretariat_required
@require_safe
def manage_detail(request, pk):
    proposal = queries.find_proposal(pk)
    return render(request, "proposals/manage/detail.html", _detail_page(proposal))


def _detail_page(proposal, invalid=None) -> dict:
    """The page of one proposal, with a form to invite a contact for each co-submitting
    organisation that has none (``invalid``: the one posted with an error, kept)."""
    missing = [
        (co, invalid[1] if invalid and invalid[0] == co.pk else InviteContactForm(prefix=co.pk))
        for co in queries.co_submitters_without_contact(proposal)
    ]
    return {**queries.proposal_page(proposal), "without_contact": missing}


@secretariat_required
@require_POST
def invite_contact(request, pk):
    co = get_object_or_404(CoSubmitter.objects.select_related("organisation", "proposal"), pk=pk)
    form = InviteContactForm(request.POST, prefix=co.pk)
    if not form.is_valid():
        page = _detail_page(queries.find_proposal(co.proposal_id), invalid=(co.pk, form))
        return render(request, "proposals/manage/detail.html", page, status=400)
    try:
        operations.invite_contact(
            actor=request.user, co_submitter=co, email=form.cleaned_data["email"]
        )
    except operations.NotWaiting:
        messages.error(request, _("This organisation no longer waits for a confirmation."))
    else:
        messages.success(
            request,
            _("%(email)s is invited to be the contact of %(organisation)s.")
            % {"email": co.contact_invited_email, "organisation": co.organisation.name},
        )
    return redirect("proposals:manage_detail", pk=co.proposal_id)


@secretariat_required
@require_safe
def manage_export(request, call_id):
    file_format = request.GET.get("format", "csv")
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    call = _call(call_id)
    _filterset, proposals = _filtered(request, call)
    rows = exports.export_rows(
        proposals,
        link=lambda p: request.build_absolute_uri(
            reverse("proposals:manage_detail", kwargs={"pk": p.pk})
        ),
    )
    filename = (
        f"proposals-{call.series.slug}-{call.slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    )
    if file_format == "xlsx":
        response = HttpResponse(exports.to_xlsx(rows, title=_("Proposals")), content_type=XLSX)
    else:
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
