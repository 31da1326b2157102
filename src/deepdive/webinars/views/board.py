"""The secretariat's board of a series, and reminding a webinar's hosts by hand."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.core.views import safe_next
from deepdive.series.models import Series

from .. import board as boards
from .. import host_reminders, registration
from ..interfaces.board_forms import BoardFilterForm, CapacityForm
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


@require_http_methods(["GET", "HEAD", "POST"])
@secretariat_required
def capacity(request, pk: int):
    """The seats of each session of a webinar; a refusal (fewer seats than people holding one)
    is shown beside the field, with what was typed."""
    webinar = get_object_or_404(Webinar.objects.select_related("proposal__call__series"), pk=pk)
    board_url = reverse("webinars:board", kwargs={"slug": webinar.call.series.slug})
    status = 200
    if request.method == "POST":
        form = CapacityForm(request.POST)
        if form.is_valid():
            try:
                registration.set_capacity(
                    actor=request.user, webinar=webinar, capacity=form.cleaned_data["capacity"]
                )
            except registration.RegistrationRefused as exc:
                exc.show_on(form)
            else:
                messages.success(
                    request, _("The capacity of “%(title)s” is saved.") % {"title": webinar.title}
                )
                return redirect(board_url)
        status = 422
    else:
        form = CapacityForm(initial={"capacity": webinar.capacity})
    return render(
        request,
        "webinars/board/capacity.html",
        {
            "webinar": webinar,
            "form": form,
            "taken": registration.most_seats_taken(webinar),
            "board_url": board_url,
        },
        status=status,
    )
