from django.contrib import messages as flash
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from deepdive.core import audit
from deepdive.core.permissions import secretariat_required

from . import consent, operations, queries
from .forms import BatchApprovalForm, HeldMessageForm, OutboxFilterForm, PreferencesForm
from .models import OutboxMessage, Suppression

PAGE_SIZE = 50


@secretariat_required
def message_list(request):
    form = OutboxFilterForm(request.GET or None, kinds=queries.kinds())
    filters = form.filters() if request.GET else {}
    page = Paginator(queries.messages(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/list.html",
        {
            "form": form,
            "page": page,
            "counts": queries.status_counts(),
            "current_status": filters.get("status", ""),
            "held_batches": queries.held_batches(),
            "interrupted": list(queries.interrupted()),
            "here": request.get_full_path(),
        },
    )


def _message_or_404(pk: int) -> OutboxMessage:
    message = queries.message_detail(pk)
    if message is None:
        raise Http404
    return message


def _render_detail(request, message: OutboxMessage, *, form=None, status: int = 200):
    held = message.status == message.Status.HELD
    if form is None and held:
        form = HeldMessageForm.for_message(message)
    return render(
        request,
        "outbox/detail.html",
        {
            "message": message,
            "related": message.related if message.content_type_id else None,
            "history": audit.history(message),
            "can_retry": message.status == message.Status.FAILED,
            "interrupted": message.status == message.Status.INTERRUPTED,
            "held": held,
            "form": form,
        },
        status=status,
    )


@secretariat_required
def message_detail(request, pk: int):
    return _render_detail(request, _message_or_404(pk))


@require_POST
@secretariat_required
def message_edit(request, pk: int):
    """Save the edit of a held message; "Save and approve" approves it too. On an error the
    page comes back with what was typed."""
    message = _message_or_404(pk)
    form = HeldMessageForm.for_message(message, request.POST)
    if not form.is_valid():
        return _render_detail(request, message, form=form, status=400)
    if not operations.edit_held(actor=request.user, message=message, **form.cleaned_data):
        message = _message_or_404(pk)
        form.add_error(
            None,
            _("This message is no longer waiting for approval: your changes were not saved."),
        )
        return _render_detail(request, message, form=form, status=409)
    if "approve" in request.POST:
        operations.approve(actor=request.user, messages=[message])
        flash.success(request, _("Saved and approved: the message is queued to be sent."))
    else:
        flash.success(request, _("Your changes are saved. The message still waits for approval."))
    return redirect("outbox:detail", pk=message.pk)


@require_POST
@secretariat_required
def message_approve(request, pk: int):
    message = _message_or_404(pk)
    if operations.approve(actor=request.user, messages=[message]):
        flash.success(request, _("Approved: the message is queued to be sent."))
    else:
        flash.warning(request, _("This message was not waiting for approval; nothing was done."))
    return redirect("outbox:detail", pk=message.pk)


@require_POST
@secretariat_required
def message_discard(request, pk: int):
    message = _message_or_404(pk)
    if operations.discard_held(actor=request.user, message=message):
        flash.success(request, _("Discarded: the message will not be sent."))
    else:
        flash.warning(request, _("This message was not waiting for approval; nothing was done."))
    return redirect("outbox:detail", pk=message.pk)


def _batch_or_404(key: str) -> str:
    label = queries.batch_label(key)
    if label is None:
        raise Http404
    return label


def _local_path(value: str) -> str:
    """A path on this site to link back to (the page that led here), or ""."""
    relative = value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    return value if relative else ""


@secretariat_required
def batch_detail(request, batch: str):
    label = _batch_or_404(batch)
    held = [m for m in queries.batch_messages(label) if m.status == m.Status.HELD]
    return render(
        request,
        "outbox/batch.html",
        {
            "batch": label,
            "key": batch,
            "held": held,
            "counts": queries.batch_status_counts(label),
            "back": _local_path(request.GET.get("back", "")),
            "form": BatchApprovalForm(initial={"expected": len(held)}),
        },
    )


@require_POST
@secretariat_required
def batch_approve(request, batch: str):
    """Approve the batch's held messages, if they are still the number shown on the button;
    a second submit finds nothing left and approves nothing."""
    label = _batch_or_404(batch)
    form = BatchApprovalForm(request.POST)
    expected = form.cleaned_data["expected"] if form.is_valid() else None
    if expected is None:
        flash.warning(request, _("Nothing was approved: reload the page and try again."))
        return redirect("outbox:batch", batch=batch)
    try:
        approved = operations.approve_batch(actor=request.user, batch=label, expected=expected)
    except operations.BatchChanged as changed:
        flash.warning(
            request,
            ngettext(
                "Nothing was approved: the batch changed since you opened it, and %(count)d "
                "message now waits for approval. Check it and approve again.",
                "Nothing was approved: the batch changed since you opened it, and %(count)d "
                "messages now wait for approval. Check them and approve again.",
                changed.held,
            )
            % {"count": changed.held},
        )
        return redirect("outbox:batch", batch=batch)
    if approved:
        flash.success(
            request,
            ngettext(
                "%(count)d message approved: it is queued to be sent.",
                "%(count)d messages approved: they are queued to be sent.",
                approved,
            )
            % {"count": approved},
        )
    else:
        flash.info(request, _("Nothing was left to approve in this batch."))
    return redirect("outbox:batch", batch=batch)


@require_POST
@secretariat_required
def message_retry(request, pk: int):
    message = _message_or_404(pk)
    if operations.retry(actor=request.user, message=message):
        flash.success(request, _("The message is queued to be sent again."))
    else:
        flash.warning(request, _("Only a failed message can be sent again."))
    return redirect("outbox:detail", pk=message.pk)


def _back_to(request, message: OutboxMessage):
    """The page the form was on (the outbox list), else the message's page."""
    back = _local_path(request.POST.get("back", ""))
    return redirect(back) if back else redirect("outbox:detail", pk=message.pk)


@require_POST
@secretariat_required
def message_resend(request, pk: int):
    """Send again a message interrupted while sending; a second submit does nothing."""
    message = _message_or_404(pk)
    if operations.resend_interrupted(actor=request.user, message=message):
        flash.success(
            request,
            _("The message to %(to)s is queued to be sent again.") % {"to": message.to_email},
        )
    else:
        flash.warning(request, _("This message was not interrupted; nothing was done."))
    return _back_to(request, message)


@require_POST
@secretariat_required
def message_mark_sent(request, pk: int):
    """Record that a message interrupted while sending did arrive; a second submit does
    nothing."""
    message = _message_or_404(pk)
    if operations.mark_interrupted_sent(actor=request.user, message=message):
        flash.success(
            request,
            _("The message to %(to)s is marked as sent; it will not be sent again.")
            % {"to": message.to_email},
        )
    else:
        flash.warning(request, _("This message was not interrupted; nothing was done."))
    return _back_to(request, message)


# The recipient's side: links in non-transactional e-mails, no login (the token is signed).


def _token_or_404(token: str) -> tuple[str, str, str]:
    try:
        return consent.read_token(token)
    except signing.BadSignature:
        raise Http404 from None


@csrf_exempt  # RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click", with no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """POST unsubscribes the address from the token's category, of the token's Action Group
    when it names one (idempotent, no page needed); GET only shows the button, since mail
    scanners follow links in messages."""
    address, category, group = _token_or_404(token)
    done = request.method == "POST"
    if done:
        consent.unsubscribe(address=address, scope=category, action_group=group)
    return render(
        request,
        "outbox/unsubscribe.html",
        {
            "address": address,
            "scope": Suppression.Scope(category).label,
            "group": consent.group_names({group}).get(group, ""),
            "done": done,
            "preferences_url": reverse("outbox:preferences", kwargs={"token": token}),
        },
    )


@require_http_methods(["GET", "POST"])
def preferences(request, token: str):
    """What the address of the token receives: invitations (from every Action Group, or one
    group's), newsletters, or nothing but what they register for."""
    address, _category, _group = _token_or_404(token)
    groups = consent.group_preferences(address)
    named = [(code, name) for code, name, _on in groups]
    if request.method == "POST":
        form = PreferencesForm(request.POST, groups=named)
        if form.is_valid():
            consent.set_preferences(address=address, **form.choices())
            flash.success(request, _("Your choices are saved."))
            return redirect("outbox:preferences", token=token)
    else:
        form = PreferencesForm(
            initial=PreferencesForm.initial_for(consent.preferences(address), groups),
            groups=named,
        )
    return render(
        request,
        "outbox/preferences.html",
        {"address": address, "form": form, "bounced": consent.has_bounced(address)},
    )
