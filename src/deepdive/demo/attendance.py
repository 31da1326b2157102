"""The attendance reports of the pilot's held webinars, as Zoom, Microsoft Teams and Webex
export them, made from each webinar's own registrations (``webinars.attendance.samples``).

The demo imports them (``import_pilot_attendance``) through the service the command line
``deepdive attendance`` uses, as the platform, so that the participation report has who
came; the follow-up e-mails that import drafts wait in the outbox for the secretariat's
approval, as after any import. Then a few attendees answer the feedback form
(``answer_pilot_feedback``), through the form's own service. ``deepdive demo`` also writes the
same reports under the var folder (``DEEPDIVE_VAR``), for the secretariat to import again on a
webinar's attendance page (importing the same file again changes nothing) or to read."""

from datetime import timedelta
from pathlib import Path

from django.utils.text import slugify

from deepdive.webinars import feedback
from deepdive.webinars.attendance import readers, samples, service
from deepdive.webinars.models import Attendance, Feedback, Webinar

from .selected import PILOT_SLUG
from .workspaces import PILOT_WORKSPACES

FOLDER = "demo-attendance"
# One layout per pilot webinar, in the order of PILOT_WORKSPACES (their platforms).
LAYOUTS = ((readers.ZOOM_MEETING, "zoom"), (readers.TEAMS, "teams"), (readers.WEBEX, "webex"))


def file_name(platform: str, title: str) -> str:
    """``<platform>-<the webinar's title>.csv``, the title cut at a whole word."""
    slug = slugify(title)
    if len(slug) > 60:
        slug = slug[:61].rsplit("-", 1)[0]
    return f"{platform}-{slug}.csv"


def write_attendance_samples(var: Path) -> list[Path]:
    """Write (again) ``var/demo-attendance/<platform>-<webinar>.csv`` for each pilot webinar
    found: the reports the demo imported; return the files' paths. Nothing when the pilot is
    not loaded."""
    folder = var / FOLDER
    written = []
    for n, webinar in _pilot():
        kind, platform = LAYOUTS[n]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name(platform, webinar.title)
        path.write_bytes(samples.for_webinar(webinar, kind))
        written.append(path)
    return written


def _pilot() -> list[tuple[int, Webinar]]:
    """The pilot's webinars found that have a date, each with its place in
    ``PILOT_WORKSPACES`` (that of its layout in ``LAYOUTS``)."""
    webinars = {
        w.title: w
        for w in Webinar.objects.filter(proposal__call__slug=PILOT_SLUG).select_related(
            "proposal__call__series", "proposal__lead_organisation"
        )
    }
    return [
        (n, webinars[title])
        for n, title in enumerate(PILOT_WORKSPACES)
        if title in webinars and webinars[title].starts_at is not None
    ]


def import_pilot_attendance() -> int:
    """Import the attendance report of each pilot webinar that has no attendance yet, as the
    platform (``actor=None``, as ``deepdive attendance``), once it was held. Returns how many
    reports were imported.

    Side effects: those of ``webinars.attendance.service.import_attendance``: the attendance
    rows, its audit entry, and the thanks and "what you missed" e-mails drafted, held for the
    secretariat's approval."""
    imported = 0
    for n, webinar in _pilot():
        if Attendance.objects.filter(webinar=webinar).exists():
            continue
        kind, _platform = LAYOUTS[n]
        service.import_attendance(
            actor=None, webinar=webinar, data=samples.for_webinar(webinar, kind)
        )
        imported += 1
    return imported


# The feedback the first attendees of each pilot webinar give, in turn: usefulness (1–5),
# one thing learned, topics wished for next (the free answers in the attendee's language).
FEEDBACK_ANSWERS = {
    "en": (
        (5, "Buyers can share the cost of monitoring with suppliers.", "Purchasing practices"),
        (4, "", "Grievance mechanisms that workers trust"),
        (4, "Committees run by the workers themselves make the difference.", ""),
        (3, "", ""),
        (5, "How to talk to suppliers about wages and fees.", "Due diligence laws"),
        (2, "", "More time for questions, please"),
        (4, "", ""),
        (5, "That remediation needs a plan agreed with the workers.", ""),
        (3, "", "Migrant workers in fishing"),
    ),
    "fr": (
        (5, "Le rôle des comités de travailleurs dans le suivi.", "Les pratiques d'achat"),
        (4, "", ""),
        (3, "", "Le recrutement équitable"),
    ),
    "es": (
        (
            5,
            "Cómo compartir el costo del seguimiento con los proveedores.",
            "Reclutamiento equitativo",
        ),
        (4, "", ""),
        (4, "", "Trabajo infantil en la agricultura"),
    ),
}
# How many attendees of each pilot webinar answer, in the order of PILOT_WORKSPACES.
FEEDBACK_COUNTS = (9, 6, 8)


def answer_pilot_feedback() -> int:
    """The first attendees of each pilot webinar that has attendance and no feedback yet answer
    its feedback form, through the form's own service (``webinars.feedback.answer``, with the
    link the thanks e-mail gives them), dated in the days after the webinar. Returns how many
    answers.

    Side effects: the ``Feedback`` rows and their audit entries (``feedback.answer``)."""
    given = 0
    for place, webinar in _pilot():
        if Feedback.objects.filter(webinar=webinar).exists():
            continue
        attendees = (
            Attendance.objects.filter(webinar=webinar, counted_as_host=False)
            .exclude(email="")
            .select_related("registration")
            .order_by("pk")[: FEEDBACK_COUNTS[place]]
        )
        taken = {language: 0 for language in FEEDBACK_ANSWERS}
        for n, attendance in enumerate(attendees):
            registration = attendance.registration
            language = registration.language if registration is not None else ""
            key = language if language in FEEDBACK_ANSWERS else "en"
            answers = FEEDBACK_ANSWERS[key]
            usefulness, learned, wished = answers[(taken[key] + place) % len(answers)]
            taken[key] += 1
            answer = feedback.answer(
                token=feedback.feedback_token(attendance),
                usefulness=usefulness,
                learned=learned,
                wished_topics=wished,
                language=key,
            )
            assert webinar.ends_at is not None
            day = webinar.ends_at + timedelta(days=1 + n % 3, hours=n)
            Feedback.objects.filter(pk=answer.pk).update(created_at=day, updated_at=day)
            given += 1
    return given
