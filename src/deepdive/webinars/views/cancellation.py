"""The secretariat cancels a webinar, with a reason (``cancellation.cancel_webinar``)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from deepdive.core.permissions import secretariat_required
from deepdive.core.refusals import Refused

from .. import cancellation
from ..interfaces.cancellation_forms import CancelWebinarForm
from ..models import Registration, Webinar


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_webinar(request, pk: int):
    webinar = get_object_or_404(Webinar.objects.select_related("proposal__call"), pk=pk)
    if not cancellation.may_cancel(webinar):
        messages.info(
            request,
            _("This webinar is cancelled.")
            if webinar.state == Webinar.State.CANCELLED
            else _("A webinar that was held cannot be cancelled."),
        )
        return redirect(webinar)
    form = CancelWebinarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancellation.cancel_webinar(
                actor=request.user, webinar=webinar, reason=form.cleaned_data["reason"]
            )
        except Refused as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("The webinar is cancelled; its registrants are told."))
            return redirect(webinar)
    told = webinar.registrations.filter(status__in=cancellation.TOLD).count()
    return render(
        request,
        "webinars/cancellation/cancel.html",
        {
            "webinar": webinar,
            "form": form,
            "told": told,
            "registered": webinar.registrations.filter(
                status=Registration.Status.REGISTERED
            ).count(),
        },
    )
