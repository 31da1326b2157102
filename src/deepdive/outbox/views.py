from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deepdive.core import audit
from deepdive.core.permissions import secretariat_required

from . import operations, queries
from .forms import OutboxFilterForm
from .models import OutboxMessage

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
        },
    )


def _message_or_404(pk: int) -> OutboxMessage:
    message = queries.message_detail(pk)
    if message is None:
        raise Http404
    return message


@secretariat_required
def message_detail(request, pk: int):
    message = _message_or_404(pk)
    return render(
        request,
        "outbox/detail.html",
        {
            "message": message,
            "related": message.related if message.content_type_id else None,
            "history": audit.history(message),
            "can_retry": message.status == message.Status.FAILED,
        },
    )


@require_POST
@secretariat_required
def message_retry(request, pk: int):
    message = _message_or_404(pk)
    if operations.retry(actor=request.user, message=message):
        flash.success(request, _("The message is queued to be sent again."))
    else:
        flash.warning(request, _("Only a failed message can be sent again."))
    return redirect("outbox:detail", pk=message.pk)
