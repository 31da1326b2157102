"""Registering without an account for a public webinar, confirming the address, each
registrant's own page by their signed link (see, change the answers, take an offered seat,
cancel), and the secretariat's choice of registration questions per series."""

from dataclasses import replace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from deepdive.core.permissions import secretariat_required
from deepdive.series.models import Series

from .. import queries, sessions
from .. import registration as registrations
from ..interfaces.registration_forms import (
    AnswersForm,
    PublicRegistrationForm,
    QuestionsForm,
    SessionForm,
)
from ..models import Registration, RepeatSession

Status = Registration.Status


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register_public(request, pk: int):
    """The public registration form: name, e-mail and the series' questions."""
    webinar = queries.visible_webinar(request.user, pk)
    if webinar is None or not webinar.is_published:
        raise Http404
    questions = registrations.questions_for(webinar.call.series)
    reason = registrations.closed(webinar)
    if webinar.members_only:
        reason = reason or _(
            "This webinar is for Alliance 8.7 members only: registering needs a verified "
            "affiliation to a member organisation."
        )
    form = PublicRegistrationForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        sessions=registrations.session_options(webinar),
        zone=getattr(request, "timezone_name", "UTC"),
    )
    if request.method == "POST" and not reason and form.is_valid():
        chosen = sessions.by_key(webinar, form.cleaned_data.get("session", sessions.FIRST))
        try:
            registrations.register_public(
                repeat=chosen if isinstance(chosen, RepeatSession) else None,
                webinar=webinar,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=get_language() or "",
                zone=getattr(request, "timezone_name", ""),
                answers=form.answers(),
            )
        except registrations.RegistrationRefused as refused:
            refused.show_on(form)
        else:
            return render(
                request,
                "webinars/registration/check_email.html",
                {"webinar": webinar, "email": form.cleaned_data["email"]},
            )
    return render(
        request,
        "webinars/registration/public.html",
        {"webinar": webinar, "form": form, "refusal": reason},
        status=422 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    """The link of the confirmation e-mail: a button (so a mail scanner following links does
    not confirm), then the registrant's own page."""
    if request.method == "POST":
        try:
            registration = registrations.confirm(token=token)
        except registrations.RegistrationRefused as refused:
            return render(
                request, "webinars/registration/confirm.html", {"refusal": str(refused)}, status=400
            )
        if registration.status == Status.WAITING:
            messages.info(
                request,
                _("Your address is confirmed. The webinar is full: you are on its waiting list."),
            )
        else:
            messages.success(request, _("Your registration is confirmed."))
        return redirect("webinars:my_registration", token=registrations.manage_token(registration))
    return render(request, "webinars/registration/confirm.html", {"token": token})


def _session_form(registration: Registration, zone: str, data=None) -> SessionForm | None:
    """The change of session on the registrant's page: both sessions open (the one they have
    checked), when the webinar has a published repeat and their session has not started."""
    mine = sessions.key(registration.session)
    options = [
        # their own session is never "full" for them: they hold their place in it
        replace(option, is_full=False) if option.key == mine else option
        for option in registrations.session_options(registration.webinar)
    ]
    if len(options) < 2:
        return None
    form = SessionForm(
        data, options=options, zone=zone, initial={"session": sessions.key(registration.session)}
    )
    form.fields["session"].label = _("Your session")
    return form


def _page(
    request,
    registration: Registration,
    token: str,
    form=None,
    status: int = 200,
    session_form=None,
):
    webinar = registration.webinar
    zone = registration.timezone or getattr(request, "timezone_name", "UTC")
    active = registration.status != Status.CANCELLED
    upcoming = not registrations.closed(webinar, session=registration.session)
    if session_form is None and active and upcoming:
        session_form = _session_form(registration, zone)
    if form is None:
        form = AnswersForm(
            questions=registrations.questions_for(webinar.call.series),
            initial={name: getattr(registration, name) for name in registrations.ANSWER_FIELDS},
        )
    return render(
        request,
        "webinars/registration/mine.html",
        {
            "registration": registration,
            "webinar": webinar,
            "session": registration.session,
            "session_label": sessions.label(registration.session)
            if sessions.published_repeat(webinar)
            else "",
            "session_form": session_form,
            "token": token,
            "form": form,
            "zone": zone,
            "status_label": registration.get_status_display(),
            "is_registered": registration.status == Status.REGISTERED,
            "is_waiting": registration.status == Status.WAITING,
            "is_offered": registration.status == Status.OFFERED,
            "is_pending": registration.status == Status.PENDING,
            "can_change": active and upcoming,
            "show_joining": queries.link_holder_sees_joining(registration),
            "webinar_url": webinar.get_absolute_url(),
            "signup_url": _signup_url(request, registration),
        },
        status=status,
    )


def _signup_url(request, registration: Registration) -> str:
    """The optional account, offered once a public registrant has confirmed their address:
    the sign-up page with that address filled in (allauth reads ``?email=``); signed in with
    it verified, the registration is listed among theirs (``queries.registrations_of``)."""
    confirmed = registration.email_verified_at is not None and registration.user_id is None
    if not confirmed or registration.status == Status.CANCELLED or request.user.is_authenticated:
        return ""
    return reverse("account_signup") + "?" + urlencode({"email": registration.email})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def my_registration(request, token: str):
    """A registrant's own page by their signed link: no login needed."""
    try:
        registration = registrations.registration_for(token)
    except registrations.RegistrationRefused:
        raise Http404 from None
    if request.method != "POST":
        return _page(request, registration, token)
    action = request.POST.get("action")
    url = reverse("webinars:my_registration", kwargs={"token": token})
    try:
        if action == "cancel":
            registrations.cancel_by_link(token=token)
            messages.success(request, _("Your registration is cancelled."))
        elif action == "session":
            zone = registration.timezone or getattr(request, "timezone_name", "UTC")
            session_form = _session_form(registration, zone, request.POST)
            if session_form is None:
                raise registrations.RegistrationRefused(_("There is no other session to choose."))
            if not session_form.is_valid():
                return _page(request, registration, token, session_form=session_form, status=422)
            chosen = sessions.by_key(registration.webinar, session_form.cleaned_data["session"])
            try:
                moved = registrations.change_session(
                    token=token, repeat=chosen if isinstance(chosen, RepeatSession) else None
                )
            except registrations.RegistrationRefused as refused:
                if not refused.errors:
                    raise
                refused.show_on(session_form)
                return _page(request, registration, token, session_form=session_form, status=422)
            if moved.status == Status.WAITING:
                messages.info(request, _("That session is full: you are on its waiting list."))
            else:
                messages.success(request, _("Your session is changed."))
        elif action == "take_seat":
            registrations.confirm_offer(token=token)
            messages.success(request, _("The seat is yours: you are registered."))
        elif action == "answers":
            form = AnswersForm(
                request.POST,
                questions=registrations.questions_for(registration.webinar.call.series),
            )
            if not form.is_valid():
                return _page(request, registration, token, form=form, status=422)
            registrations.change_answers(
                registration=registration, actor=None, answers=form.answers()
            )
            messages.success(request, _("Your answers are saved."))
        else:
            raise Http404
    except registrations.RegistrationRefused as refused:
        messages.error(request, str(refused))
    return redirect(url)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@secretariat_required
def questions(request, slug: str):
    """Which questions the registration form of the series ``slug`` asks."""
    series = get_object_or_404(Series, slug=slug)
    current = registrations.questions_for(series)
    form = QuestionsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        registrations.set_questions(
            actor=request.user,
            series=series,
            **{name: form.cleaned_data[name] for name in QuestionsForm.Meta.fields},
        )
        messages.success(request, _("The registration questions are saved."))
        return redirect("webinars:registration_questions", slug=series.slug)
    return render(
        request,
        "webinars/registration/questions.html",
        {"series": series, "form": form, "now": timezone.now()},
    )


def box(registration: Registration | None) -> dict:
    """What the webinar page's registration box adds for a registration that is not (or not
    yet) a seat: its status and the registrant's own page."""
    waiting = registration is not None and registration.status in (
        Status.WAITING,
        Status.OFFERED,
        Status.PENDING,
    )
    return {
        "registration_waiting": waiting,
        "registration_status": registration.get_status_display() if waiting else "",
        "manage_url": reverse(
            "webinars:my_registration", kwargs={"token": registrations.manage_token(registration)}
        )
        if registration is not None and registration.status != Status.CANCELLED
        else "",
    }
