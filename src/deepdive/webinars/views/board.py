"""The secretariat's board of a series, and reminding a webinar's hosts by hand."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.core.views import safe_next
from deepdive.series.models import Series

from .. import board as boards
from .. import host_reminders
from ..interfaces.board_forms import BoardFilterForm
from ..models import Webinar


@require_safe
@secretariat_required
def board(request, slug: str):
    """Every webinar of the series ``slug``: time, state, what is missing, registrations,
    the host's last activity; filtered by the GET form."""
    series = get_object_or_404(Series, slug=slug)
    form = BoardFilterForm(request.GET)
    zone = getattr(request, "timezone_name", "UTC")
    return render(
        request,
        "webinars/board/board.html",
        {
            "series": series,
            "form": form,
            "board": boards.board(
                series, reader=request.user, reader_zone=zone, filters=form.filters()
            ),
            "zone": zone,
            "here": request.get_full_path(),
        },
    )


@require_POST
@secretariat_required
def remind_host(request, pk: int):
    """Remind the webinar's hosts now of what is missing; back to the board with a message."""
    webinar = get_object_or_404(Webinar.objects.select_related("proposal__call__series"), pk=pk)
    fallback = reverse("webinars:board", kwargs={"slug": webinar.call.series.slug})
    try:
        sent = host_reminders.remind_now(actor=request.user, webinar=webinar)
    except host_reminders.ReminderRefused as exc:
        for message in exc.messages():
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d host of “%(title)s”.",
                "Reminder sent to %(count)d hosts of “%(title)s”.",
                sent,
            )
            % {"count": sent, "title": webinar.title},
        )
    return redirect(safe_next(request, fallback))
