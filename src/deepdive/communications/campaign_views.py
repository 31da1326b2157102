"""The secretariat's campaigns: choose an audience and see its count (GET), draft the
invitations (POST), then the campaign's page (an invitation's or a newsletter issue's): Send,
progress, Pause / Resume, Retry, each message worded for what the campaign sends."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.outbox.models import batch_key
from deepdive.series.models import Series

from . import audiences, campaigns
from .forms import CampaignForm
from .models import Campaign


def _form(request: HttpRequest, series: Series, data=None) -> CampaignForm:
    return CampaignForm(data, series=series, upcoming=campaigns.upcoming(series))


def _page(
    request, series: Series, form: CampaignForm, *, count: bool = True, status: int = 200
) -> HttpResponse:
    """The campaigns page: the form, the audience's count when it was asked and valid, the
    series' campaigns."""
    counted = None
    if count and form.is_bound and form.is_valid():
        audience = form.audience()
        people = audiences.count(audience)
        if people:
            counted = {"count": people, "description": audiences.describe(audience)}
        else:
            form.add_error("kind", _("Nobody is in this audience: there is no one to invite."))
            status = 422
    return render(
        request,
        "communications/campaigns.html",
        {
            "series": series,
            "form": form,
            "counted": counted,
            "campaigns": campaigns.campaigns_of(series),
            "has_upcoming": bool(form.upcoming),
        },
        status=status,
    )


@secretariat_required
@require_safe
def campaign_list(request, slug: str):
    """Choose what to invite to and who; "Count" shows how many people before anything is
    drafted."""
    series = get_object_or_404(Series, slug=slug)
    return _page(request, series, _form(request, series, request.GET or None))


@secretariat_required
@require_POST
def campaign_draft(request, slug: str):
    """Draft one held invitation per person; a second press drafts nobody twice."""
    series = get_object_or_404(Series, slug=slug)
    form = _form(request, series, request.POST)
    if not form.is_valid():
        return _page(request, series, form, status=422)
    try:
        campaign, drafted = campaigns.draft_campaign(
            actor=request.user,
            series=series,
            webinar=form.cleaned_data["webinar"],
            audience=form.audience(),
            rate_per_minute=form.cleaned_data["rate_per_minute"],
        )
    except campaigns.CampaignRefused as refused:
        refused.show_on(form)
        return _page(request, series, form, count=False, status=422)
    messages.success(
        request,
        ngettext(
            "%(count)d invitation drafted: it waits for you to send it.",
            "%(count)d invitations drafted: they wait for you to send them.",
            drafted,
        )
        % {"count": drafted},
    )
    return redirect("communications:campaign", pk=campaign.pk)


@secretariat_required
@require_safe
def campaign_detail(request, pk: int):
    """The campaign's progress. With ``?follow=1`` (where Send leads, and a link offers) the
    page refreshes itself every 10 seconds while invitations are leaving; a link stops it, so
    nobody is stuck with a page that moves (WCAG 2.2.1)."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("series", "webinar__proposal", "issue"), pk=pk
    )
    progress = campaigns.progress(campaign)
    sending = campaign.status == Campaign.Status.SENDING
    active = sending or progress.queued > 0
    return render(
        request,
        "communications/campaign.html",
        {
            "campaign": campaign,
            "audience": audiences.describe(campaigns.audience_of(campaign)),
            "progress": progress,
            "active": active,
            "refreshing": active and request.GET.get("follow") == "1",
            "can_send": campaign.status == Campaign.Status.DRAFT and progress.held > 0,
            "can_pause": sending,
            "can_resume": campaign.status == Campaign.Status.PAUSED,
            "can_retry": progress.failed > 0,
            "batch_key": batch_key(campaign.batch),
        },
    )


def _campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign, pk=pk)


@secretariat_required
@require_POST
def campaign_send(request, pk: int):
    campaign = _campaign(pk)
    if campaign.status != Campaign.Status.DRAFT:
        messages.info(request, _("This campaign was already sent; nothing more was done."))
    else:
        campaigns.start_sending(actor=request.user, campaign=campaign)
        if campaign.issue_id is not None:
            sending = _("Sending: %(rate)d newsletters a minute leave until all are sent.")
        else:
            sending = _("Sending: %(rate)d invitations a minute leave until all are sent.")
        messages.success(request, sending % {"rate": campaign.rate_per_minute})
        return redirect(reverse("communications:campaign", kwargs={"pk": pk}) + "?follow=1")
    return redirect("communications:campaign", pk=pk)


@secretariat_required
@require_POST
def campaign_pause(request, pk: int):
    campaign = _campaign(pk)
    if campaigns.pause(actor=request.user, campaign=campaign):
        if campaign.issue_id is not None:
            paused = _("Paused: no more newsletters leave until you resume.")
        else:
            paused = _("Paused: no more invitations leave until you resume.")
        messages.success(request, paused)
    return redirect("communications:campaign", pk=pk)


@secretariat_required
@require_POST
def campaign_resume(request, pk: int):
    campaign = _campaign(pk)
    if campaigns.resume(actor=request.user, campaign=campaign):
        if campaign.issue_id is not None:
            resumed = _("Resumed: the newsletters leave again.")
        else:
            resumed = _("Resumed: the invitations leave again.")
        messages.success(request, resumed)
    return redirect("communications:campaign", pk=pk)


@secretariat_required
@require_POST
def campaign_retry(request, pk: int):
    campaign = _campaign(pk)
    retried = campaigns.retry_failed(actor=request.user, campaign=campaign)
    if campaign.issue_id is not None:
        again = ngettext(
            "%(count)d failed newsletter is sent again.",
            "%(count)d failed newsletters are sent again.",
            retried,
        )
    else:
        again = ngettext(
            "%(count)d failed invitation is sent again.",
            "%(count)d failed invitations are sent again.",
            retried,
        )
    messages.success(request, again % {"count": retried})
    return redirect("communications:campaign", pk=pk)
