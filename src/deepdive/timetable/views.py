"""The secretariat's timetable pages: the plan (run, move, publish), the rules, a webinar's
timetable facts and the preview of a move."""

from __future__ import annotations

from datetime import date
from datetime import time as time_of_day
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.core.refusals import Refused
from deepdive.optimize.timetable import Window
from deepdive.series.models import Call
from deepdive.webinars import operations as webinar_operations
from deepdive.webinars import repeats
from deepdive.webinars.audience import audience_of, default_audience
from deepdive.webinars.models import RepeatSession, Webinar

from . import operations, queries
from .forms import MoveForm, RepeatWindowForm, RulesForm, WebinarForm
from .optimiser_input import available_ranges, rules_of


def _call(call_id: int) -> Call:
    return get_object_or_404(Call.objects.select_related("series"), pk=call_id)


def _webinar(pk: int) -> Webinar:
    try:
        return queries.webinar_in_plan(pk)
    except Webinar.DoesNotExist:
        raise Http404 from None


@secretariat_required
@require_safe
def plan(request, call_id: int):
    call = _call(call_id)
    rules = rules_of(call)
    zone = rules.reference_timezone
    asked = {"repeat_from", "repeat_to"} & set(request.GET)
    window_form = RepeatWindowForm(
        request.GET if asked else None,
        zone=zone,
        initial={"repeat_from": rules.window_start, "repeat_to": rules.window_end},
    )
    repeat_window = None
    if window_form.is_bound and window_form.is_valid():
        repeat_window = Window(
            window_form.cleaned_data["repeat_from"],
            window_form.cleaned_data["repeat_to"],
            tuple((_time(a), _time(b)) for a, b in rules.excluded or []),
        )
    report = queries.plan_report(call, repeat_window=repeat_window)
    for row in report.rows:
        row.move_form = MoveForm(
            zone=zone,
            auto_id=f"move-{row.webinar.pk}-%s",
            initial=_move_initial(row.webinar, zone),
        )
    return render(
        request,
        "timetable/plan.html",
        {
            "call": call,
            "report": report,
            "zone": zone,
            "publish": queries.publish_summary(call),
            "window_form": window_form,
            "repeat_offers": any(row.offer or row.left_out for row in report.rows),
        },
    )


def _time(value) -> time_of_day:
    return value if isinstance(value, time_of_day) else time_of_day.fromisoformat(str(value))


def _move_initial(webinar: Webinar, zone: str) -> dict:
    if webinar.planned_start is None:
        return {}
    local = webinar.planned_start.astimezone(ZoneInfo(zone))
    return {"date": local.date(), "time": local.time().replace(second=0, microsecond=0)}


@secretariat_required
@require_http_methods(["GET", "POST"])
def rules(request, call_id: int):
    call = _call(call_id)
    current = rules_of(call)
    form = RulesForm(request.POST or None, rules=current)
    if request.method == "POST" and form.is_valid():
        try:
            operations.save_rules(actor=request.user, call=call, data=form.cleaned_data)
        except operations.RulesInvalid as refused:
            refused.show_on(form)
        else:
            messages.success(request, _("The timetable rules are saved."))
            return redirect("timetable:plan", call_id=call.pk)
    return render(
        request,
        "timetable/rules.html",
        {"call": call, "form": form, "saved": current.pk is not None},
    )


@secretariat_required
@require_POST
def run(request, call_id: int):
    call = _call(call_id)
    try:
        timetable_run = operations.run(actor=request.user, call=call)
    except operations.TimetableRefused as refused:
        messages.error(request, str(refused))
    else:
        if timetable_run.solver_status in ("optimal", "feasible"):
            messages.success(
                request,
                _(
                    "The optimiser placed the webinars. Check the plan, move any by hand, "
                    "then publish."
                ),
            )
        else:
            messages.error(
                request,
                _("The optimiser found no timetable that keeps every rule: see why below."),
            )
    return redirect("timetable:plan", call_id=call.pk)


@secretariat_required
@require_POST
def publish(request, call_id: int):
    call = _call(call_id)
    try:
        count = operations.publish(actor=request.user, call=call)
    except Refused as refused:  # the timetable's, or a webinar's changed meanwhile
        messages.error(request, str(refused))
    else:
        if count:
            messages.success(
                request,
                _("The timetable is published; the hosts and registrants concerned are notified."),
            )
        else:
            messages.info(request, _("Nothing new to publish: nobody was notified again."))
    return redirect("timetable:plan", call_id=call.pk)


@secretariat_required
@require_http_methods(["GET", "POST"])
def webinar(request, pk: int):
    item = _webinar(pk)
    call = item.call
    audience = audience_of(item)
    form = WebinarForm(request.POST or None, webinar=item, audience=audience)
    if request.method == "POST":
        use_default = request.POST.get("action") == "default"
        if use_default or form.is_valid():
            data = form.cleaned_data if not use_default else {}
            new_audience = None if use_default else data["audience"]
            try:
                webinar_operations.update_webinar(
                    actor=request.user,
                    webinar=item,
                    minutes=data.get("minutes", item.minutes),
                    audience=new_audience,
                    members_only=data.get("members_only", item.members_only),
                    joining_url=data.get("joining_url", item.joining_url),
                )
            except webinar_operations.WebinarInvalid as refused:
                refused.show_on(form)
            else:
                messages.success(
                    request,
                    _("The audience is back to the default.")
                    if use_default
                    else _("The webinar's timetable facts are saved."),
                )
                if use_default:
                    return redirect("timetable:webinar", pk=item.pk)
                return redirect("timetable:plan", call_id=call.pk)
    return _webinar_page(request, item, form=form)


def _webinar_page(
    request, item: Webinar, *, form: WebinarForm | None = None, repeat_form: MoveForm | None = None
):
    """The webinar's timetable page: its facts' form and its repeat session (with the forms
    to move and remove it)."""
    call = item.call
    rules = rules_of(call)
    zone = rules.reference_timezone
    if form is None:
        form = WebinarForm(webinar=item, audience=audience_of(item))
    repeat = queries.planned_repeats([item]).get(item.pk)
    if repeat is not None and repeat_form is None:
        local = repeat.planned_start.astimezone(ZoneInfo(zone))
        repeat_form = MoveForm(
            zone=zone,
            auto_id="repeat-%s",
            initial={"date": local.date(), "time": local.time().replace(second=0, microsecond=0)},
        )
    return render(
        request,
        "timetable/webinar.html",
        {
            "call": call,
            "webinar": item,
            "form": form,
            "availability": queries.availability_words(item),
            "available_for_optimiser": _as_dates(available_ranges(item, rules)),
            "default_audience": default_audience(item),
            "zone": zone,
            "repeat": repeat,
            "repeat_form": repeat_form,
            "repeat_zone_times": (
                queries.repeat_zone_times(repeat, audience_of(item), rules) if repeat else []
            ),
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def move(request, pk: int):
    item = _webinar(pk)
    call = item.call
    rules = rules_of(call)
    zone = rules.reference_timezone
    data = request.POST if request.method == "POST" else request.GET
    form = MoveForm(data if {"date", "time"} & set(data) else None, zone=zone)
    preview = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"]
        if request.method == "POST":
            try:
                placement = operations.move(actor=request.user, webinar=item, start=start)
            except Refused as refused:  # the timetable's, or the webinar's
                refused.show_on(form)  # beside the time (an overlap with the repeat), or above
            else:
                if placement.conflicts:
                    messages.warning(
                        request,
                        _("“%(title)s” is moved. It has conflicts: see the plan.")
                        % {"title": item.title},
                    )
                else:
                    messages.success(
                        request,
                        _("“%(title)s” is moved; its reach is %(reach)s%%.")
                        % {"title": item.title, "reach": f"{placement.reach * 100:.0f}"},
                    )
                return redirect("timetable:plan", call_id=call.pk)
        preview = queries.move_preview(item, start, rules)
    return render(
        request,
        "timetable/move.html",
        {
            "call": call,
            "webinar": item,
            "form": form,
            "preview": preview,
            "zone": zone,
            "current": queries.where_it_is(item, rules),
        },
    )


def _as_dates(ranges: list[list[str]] | None) -> list[tuple[date, date]] | None:
    if ranges is None:
        return None
    return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in ranges]


# --------------------------------------------------------------------------- a repeat session


def _repeat(pk: int) -> RepeatSession:
    """The repeat session of webinar ``pk`` (in a timetable), not cancelled, else 404."""
    return get_object_or_404(
        RepeatSession.objects.select_related("webinar__proposal"),
        webinar=_webinar(pk),
        cancelled_at__isnull=True,
    )


@secretariat_required
@require_POST
def add_repeat(request, pk: int):
    item = _webinar(pk)
    zone = rules_of(item.call).reference_timezone
    form = MoveForm(request.POST, zone=zone)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            repeats.add_repeat(actor=request.user, webinar=item, start=form.cleaned_data["start"])
        except Refused as refused:
            messages.error(request, " ".join(refused.messages()))
        else:
            messages.success(
                request,
                _(
                    "A repeat session of “%(title)s” is in the plan; it is published with "
                    "the timetable."
                )
                % {"title": item.title},
            )
    return redirect("timetable:plan", call_id=item.call.pk)


@secretariat_required
@require_POST
def move_repeat(request, pk: int):
    repeat = _repeat(pk)
    item = repeat.webinar
    call = item.call
    form = MoveForm(request.POST, zone=rules_of(call).reference_timezone, auto_id="repeat-%s")
    if form.is_valid():
        try:
            repeats.move_repeat(actor=request.user, repeat=repeat, start=form.cleaned_data["start"])
        except Refused as refused:
            refused.show_on(form)
        else:
            messages.success(
                request,
                _(
                    "The repeat session of “%(title)s” is moved; registrants hear of it when "
                    "you publish."
                )
                % {"title": item.title},
            )
            return redirect("timetable:webinar", pk=item.pk)
    return _webinar_page(request, item, repeat_form=form)


@secretariat_required
@require_POST
def remove_repeat(request, pk: int):
    repeat = _repeat(pk)
    item = repeat.webinar
    kept = repeats.remove_repeat(actor=request.user, repeat=repeat)
    messages.success(
        request,
        _("The repeat session is cancelled; its registrants are told.")
        if kept is not None
        else _("The repeat session is removed."),
    )
    return redirect("timetable:webinar", pk=item.pk)
