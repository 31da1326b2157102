"""The secretariat's newsletter issues: the series' list, write and change an issue, preview
it as each language's recipients see it, send a test to oneself, send it for approval (a
campaign, sent from the campaign's page); and the public web version once it was sent."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from deepdive.core.middleware import CONTENT_SECURITY_POLICY
from deepdive.core.permissions import secretariat_required
from deepdive.outbox.models import OutboxMessage
from deepdive.series.models import Series

from . import newsletters
from .forms import (
    NEWSLETTER_LANGUAGES,
    NewsletterForm,
    NewsletterLanguageForm,
    NewsletterSendForm,
)
from .models import NewsletterIssue

# The e-mail's HTML has its CSS inlined in style attributes (as mail clients need it): the
# preview and the web version allow those, and nothing else more than the site's policy.
EMAIL_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def _issue(pk: int) -> NewsletterIssue:
    return get_object_or_404(NewsletterIssue.objects.select_related("series"), pk=pk)


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    return language if language in newsletters.LANGUAGES else "en"


@secretariat_required
@require_safe
def newsletter_list(request, slug: str):
    """The series' newsletter issues, newest first."""
    series = get_object_or_404(Series, slug=slug)
    rows = [
        {
            "issue": issue,
            "campaign": newsletters.campaign_of(issue),
            "is_public": newsletters.is_public(issue),
        }
        for issue in newsletters.issues_of(series)
    ]
    return render(request, "communications/newsletters.html", {"series": series, "rows": rows})


def _edit_page(
    request, series: Series, form: NewsletterForm, issue: NewsletterIssue | None, status=200
) -> HttpResponse:
    return render(
        request,
        "communications/newsletter_form.html",
        {"series": series, "form": form, "issue": issue},
        status=status,
    )


def _save(request, series: Series, issue: NewsletterIssue | None) -> HttpResponse:
    blocks = len(issue.blocks) + 1 if issue is not None else 1
    if request.method != "POST":
        initial = NewsletterForm.initial_from(issue) if issue is not None else None
        return _edit_page(request, series, NewsletterForm(initial=initial, blocks=blocks), issue)
    form = NewsletterForm(request.POST, blocks=int_or(request.POST.get("blocks"), blocks))
    if not form.is_valid():
        return _edit_page(request, series, form, issue, status=422)
    try:
        saved = newsletters.save_issue(
            actor=request.user, series=series, issue=issue, **form.values()
        )
    except newsletters.NewsletterRefused as refused:
        refused.show_on(form)
        return _edit_page(request, series, form, issue, status=422)
    messages.success(request, _("The issue is saved. Here it is as the recipients will see it."))
    return redirect("communications:newsletter", pk=saved.pk)


def int_or(value: str | None, default: int) -> int:
    """The number of block fields the form had (so a typed block is never lost), at most
    the service's limit."""
    if value and value.isdigit():
        return max(1, min(int(value), newsletters.MAX_BLOCKS))
    return default


@secretariat_required
def newsletter_new(request, slug: str):
    """Write a new issue (GET: the empty form; POST: save it)."""
    series = get_object_or_404(Series, slug=slug)
    return _save(request, series, None)


@secretariat_required
def newsletter_edit(request, pk: int):
    """Change a draft issue; one sent for approval is shown instead."""
    issue = _issue(pk)
    if issue.status != NewsletterIssue.Status.DRAFT:
        messages.info(request, _("This issue was sent for approval: it can no longer change."))
        return redirect("communications:newsletter", pk=pk)
    return _save(request, issue.series, issue)


def _preview_page(
    request,
    issue: NewsletterIssue,
    *,
    language: str,
    send_form: NewsletterSendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rendered = newsletters.preview(actor=request.user, issue=issue, language=language)
    campaign = newsletters.campaign_of(issue)
    is_draft = issue.status == NewsletterIssue.Status.DRAFT
    response = render(
        request,
        "communications/newsletter.html",
        {
            "series": issue.series,
            "issue": issue,
            "language": language,
            "languages": [
                {
                    "code": code,
                    "name": name,
                    "current": code == language,
                    "url": reverse("communications:newsletter", kwargs={"pk": issue.pk})
                    + f"?lang={code}",
                }
                for code, name in NEWSLETTER_LANGUAGES
            ],
            "rendered": rendered,
            "test_form": NewsletterLanguageForm(initial={"language": language}),
            "send_form": send_form
            if send_form is not None
            else NewsletterSendForm(series=issue.series, auto_id="send_%s"),
            "can_edit": is_draft,
            "can_send": is_draft,
            "campaign": campaign,
            "is_public": newsletters.is_public(issue),
            "web_url": newsletters.web_url(issue, language),
        },
        status=status,
    )
    response["Content-Security-Policy"] = EMAIL_CONTENT_SECURITY_POLICY
    return response


@secretariat_required
@require_safe
def newsletter_detail(request, pk: int):
    """The issue as a language's recipients see it (``?lang=``: en, fr, es), its plain
    text, and what to do with it: test, change, send for approval."""
    return _preview_page(request, _issue(pk), language=_language(request))


@secretariat_required
@require_POST
def newsletter_test(request, pk: int):
    """Send the issue in the chosen language to oneself."""
    issue = _issue(pk)
    form = NewsletterLanguageForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else "en"
    try:
        message = newsletters.send_test(actor=request.user, issue=issue, language=language)
    except newsletters.NewsletterRefused as refused:
        for text in refused.messages():
            messages.error(request, text)
    else:
        if message.status == OutboxMessage.Status.SUPPRESSED:
            messages.warning(
                request,
                _(
                    "Not sent: %(address)s no longer receives newsletters (it unsubscribed or "
                    "bounced)."
                )
                % {"address": message.to_email},
            )
        else:
            messages.success(
                request,
                _("A test in this language is on its way to %(address)s.")
                % {"address": message.to_email},
            )
    return redirect(reverse("communications:newsletter", kwargs={"pk": pk}) + f"?lang={language}")


@secretariat_required
@require_POST
def newsletter_send(request, pk: int):
    """Draft the issue's campaign, one held message per person; the campaign's page sends it."""
    issue = _issue(pk)
    form = NewsletterSendForm(request.POST, series=issue.series, auto_id="send_%s")
    if not form.is_valid():
        return _preview_page(request, issue, language="en", send_form=form, status=422)
    try:
        campaign, drafted = newsletters.send_for_approval(
            actor=request.user,
            issue=issue,
            audience=form.audience(),
            rate_per_minute=form.cleaned_data["rate_per_minute"],
        )
    except newsletters.NewsletterRefused as refused:
        refused.show_on(form)
        return _preview_page(request, issue, language="en", send_form=form, status=422)
    messages.success(
        request,
        ngettext(
            "%(count)d message drafted: it waits for you to send it.",
            "%(count)d messages drafted: they wait for you to send them.",
            drafted,
        )
        % {"count": drafted},
    )
    return redirect("communications:campaign", pk=campaign.pk)


@require_safe
def newsletter_web(request, slug: str, pk: int):
    """The public web version of an issue once it was sent (404 before), in ``?lang=``,
    the times in the series' zone; no name, no personal link."""
    issue = newsletters.public_issue(slug, pk)
    if issue is None:
        raise Http404
    rendered = newsletters.render(
        issue, reader=newsletters.Reader("", "", _language(request), ""), web=True
    )
    response = HttpResponse(rendered.html)
    response["Content-Security-Policy"] = EMAIL_CONTENT_SECURITY_POLICY
    return response
