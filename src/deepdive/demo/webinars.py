"""The demo's published call (issue 12: the webinars in every state): "Third round: webinars
on the programme", whose timetable is published, with five webinars in the coming weeks: one
waiting for the secretariat's approval, one ready, one public with five seats, full, and a
waiting list, one cancelled with a reason (its registrants told), and one whose audience is
mostly in the Pacific and the Americas, with a repeat session at 07:00 Paris and its test call
still to fix. The pilot's held webinars and the demo host's half-prepared workspace are in
``workspaces.py``.

Everything goes through the services the pages use (the selection and hosting as in
``selected.py``, the timetable's facts, plan and publication, the workspace, its submission and
approval, registration, the address confirmation, the cancellation), so the audit trail and
the e-mails are real. Shortcuts, for the demo only: the public webinar's capacity is set
directly (no service sets it yet), and so is the repeat session with the choice of the
registrants who attend it (its services are being written).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from deepdive.accounts.models import User
from deepdive.series.models import Series
from deepdive.timetable import operations as timetable_operations
from deepdive.timetable.models import TimetableRules
from deepdive.webinars import cancellation, preparation, registration
from deepdive.webinars import operations as webinar_operations
from deepdive.webinars.models import RepeatSession, Webinar

from .selected import REFERENCE_ZONE, DemoProposal, _confirm_hosting, _selected_call
from .workspaces import (
    PUBLIC,
    SECRETARIAT,
    AccountMaker,
    ContactFinder,
    Workspace,
    fill_workspace,
    member_account,
    member_answers,
    public_answers,
)

PUBLISHED_SLUG = "2026-round-three"
PUBLISHED_TITLE = "Third round: webinars on the programme"

# ----------------------------------------------------------------- the published call


@dataclass(frozen=True)
class Upcoming:
    """A webinar of the published call: its proposal, when (the ``workday``-th weekday from
    today, at ``at`` Paris time), what its hosts prepared, where it stands and who
    registered."""

    proposal: DemoProposal
    state: str  # "submitted", "ready", "cancelled" or "preparing"
    workday: int
    at: time
    workspace: Workspace
    members_only: bool = True
    capacity: int | None = None
    members: tuple[str, ...] = ()
    public: tuple[str, ...] = ()
    # Registered once the seats are taken: they join the waiting list.
    waiting_members: tuple[str, ...] = ()
    waiting_public: tuple[str, ...] = ()
    audience: dict[str, int] = field(default_factory=dict)
    repeat_at: time | None = None  # the repeat session, the next weekday, Paris time
    repeat_public: tuple[str, ...] = ()  # who chose the repeat
    cancel_reason: str = ""


UPCOMING = [
    Upcoming(
        DemoProposal(
            "Global Tin Traceability Initiative (demo)",
            "Tracing tin from Indonesia's artisanal mines to electronics",
            ("child_labour",),
            ("mining",),
            ("ID", "MY"),
            (4,),
            4,
        ),
        state="cancelled",
        workday=3,
        at=time(15, 0),
        workspace=Workspace(
            descriptions={
                "en": "How smelters and electronics brands trace tin back to artisanal mines "
                "on Bangka and Belitung, and what they do when children are found at work.",
                "fr": "Comment les fonderies et les marques d'électronique remontent la filière "
                "de l'étain jusqu'aux mines artisanales de Bangka et Belitung, et ce qu'elles "
                "font lorsque des enfants y travaillent.",
                "es": "Cómo las fundiciones y las marcas de electrónica rastrean el estaño "
                "hasta las minas artesanales de Bangka y Belitung, y qué hacen cuando "
                "encuentran niños trabajando.",
            },
            speakers=(("Dewi Lestari", "Traceability lead", "Runs the Initiative's audits."),),
            moderator=None,
            joining=False,
            test_call=False,
        ),
        members_only=False,
        members=("kadri", "nimal"),
        public=("rafael",),
        cancel_reason=(
            "The main speaker cannot take part on this date and no replacement could be found "
            "in time. The secretariat will offer the host a new date in the next round."
        ),
    ),
    Upcoming(
        DemoProposal(
            "National Labour Inspectorate of Coastland (demo)",
            "Joint labour inspections on Madagascar's fishing boats",
            ("forced_labour",),
            ("fishing",),
            ("MG",),
            (1,),
            4,
        ),
        state="submitted",
        workday=5,
        at=time(10, 0),
        workspace=Workspace(
            descriptions={
                "en": "Labour inspectors, port authorities and fishers' unions inspect "
                "fishing boats together in Madagascar: how the joint visits are planned and "
                "what they found on board.",
                "fr": "Inspecteurs du travail, autorités portuaires et syndicats de pêcheurs "
                "inspectent ensemble les bateaux de pêche à Madagascar : comment les visites "
                "conjointes sont préparées et ce qu'elles ont trouvé à bord.",
                "es": "Inspectores de trabajo, autoridades portuarias y sindicatos de "
                "pescadores inspeccionan juntos los barcos pesqueros en Madagascar: cómo se "
                "preparan las visitas conjuntas y lo que encontraron a bordo.",
            },
            speakers=(
                ("Hery Rakoto", "Chief labour inspector", "Leads the joint inspection teams."),
                ("Voahangy Rasoa", "Fishers' union delegate", "Represents crews in Toamasina."),
            ),
            moderator=("Samira Secretariat", "ILO, secretariat of the Action Group"),
            languages=("fr",),
            interpretation=("en", "es"),
        ),
        members=("amina", "youssef", "chidi", "member"),
    ),
    Upcoming(
        DemoProposal(
            "Freedom Stories Media Collective",
            "Reporting on forced labour without harming survivors: a guide for journalists",
            ("human_trafficking", "forced_labour"),
            ("other",),
            ("LK", "IN"),
            (2,),
            4,
        ),
        state="ready",
        workday=7,
        at=time(14, 30),
        workspace=Workspace(
            descriptions={
                "en": "Journalists and survivors wrote a short guide to reporting on forced "
                "labour and trafficking: consent, anonymity, pictures and follow-up. Open to "
                "the public, with five seats for the practical exercise.",
                "fr": "Des journalistes et des survivants ont rédigé un court guide pour "
                "traiter du travail forcé et de la traite : consentement, anonymat, images et "
                "suivi. Ouvert au public, avec cinq places pour l'exercice pratique.",
                "es": "Periodistas y sobrevivientes escribieron una breve guía para informar "
                "sobre el trabajo forzoso y la trata: consentimiento, anonimato, imágenes y "
                "seguimiento. Abierto al público, con cinco plazas para el ejercicio práctico.",
            },
            speakers=(
                ("Priya Fernando", "Editor", "Edits the Collective's investigations."),
                ("Ravi Kumar", "Survivor advocate", "Trains newsrooms on survivor-led reporting."),
            ),
            moderator=("Anjali Rao", "Journalist, Freedom Stories Media Collective"),
            platform="webex",
        ),
        members_only=False,
        capacity=5,
        members=("nimal", "wanjiru", "chidi"),
        public=("grace", "daniel"),
        waiting_members=("carlos",),
        waiting_public=("marie", "ana"),
    ),
    Upcoming(
        DemoProposal(
            "Confederation of Employers of Eastland (demo)",
            "Garment suppliers' due diligence against forced labour in Viet Nam",
            ("forced_labour",),
            ("cotton_garment",),
            ("VN",),
            (3,),
            4,
        ),
        state="ready",
        workday=9,
        at=time(10, 30),
        workspace=Workspace(
            descriptions={
                "en": "Employers in Viet Nam's garment sector present the due diligence "
                "steps their suppliers took to find and remedy forced labour risks, and what "
                "buyers asked of them.",
                "fr": "Des employeurs du secteur de l'habillement du Viet Nam présentent les "
                "étapes de diligence raisonnable suivies par leurs fournisseurs pour repérer et "
                "corriger les risques de travail forcé, et ce que les acheteurs leur ont demandé.",
                "es": "Empleadores del sector de la confección de Viet Nam presentan los pasos "
                "de diligencia debida que siguieron sus proveedores para detectar y remediar "
                "los riesgos de trabajo forzoso, y lo que les pidieron los compradores.",
            },
            speakers=(
                ("Le Thi Thu", "Head of social compliance", "Advises member factories."),
                ("Pham Quang Huy", "Factory owner", "Runs a 600-worker garment factory."),
            ),
            moderator=("Samira Secretariat", "ILO, secretariat of the Action Group"),
            platform="teams",
        ),
        members=("youssef", "maricel", "kadri", "member"),
    ),
    Upcoming(
        DemoProposal(
            "University of Greenhill, Centre on Modern Slavery (demo)",
            "Modern slavery reporting laws and Pacific seafood supply chains",
            ("forced_labour", "human_trafficking"),
            ("fishing",),
            ("AU", "NZ", "FJ"),
            (1, 2),
            4,
        ),
        state="preparing",
        workday=12,
        at=time(16, 0),
        workspace=Workspace(
            descriptions={
                "en": "What Australia's and New Zealand's modern slavery reporting laws "
                "changed for the seafood caught and processed in the Pacific, with companies, "
                "unions and researchers from both sides of the Pacific.",
                "fr": "Ce que les lois australienne et néo-zélandaise sur la déclaration de "
                "l'esclavage moderne ont changé pour les produits de la mer pêchés et "
                "transformés dans le Pacifique, avec des entreprises, des syndicats et des "
                "chercheurs des deux rives du Pacifique.",
                "es": "Lo que cambiaron las leyes de Australia y Nueva Zelandia sobre informes "
                "de esclavitud moderna para los productos del mar pescados y procesados en el "
                "Pacífico, con empresas, sindicatos e investigadores de ambas orillas del "
                "Pacífico.",
            },
            speakers=(
                ("Hannah Clarke", "Associate professor", "Studies modern slavery statements."),
                ("Sione Vea", "Fisheries officer", "Works on crew welfare in Tonga."),
                ("María José Paredes", "Union adviser", "Advises fishers' unions in Peru."),
            ),
            moderator=("Tom Whitfield", "Director, Centre on Modern Slavery"),
            interpretation=("es",),
            test_call=False,  # still to fix: the board and the host's reminders show it
        ),
        members_only=False,
        members=("carlos", "valentina", "rosa"),
        public=("ana", "mele"),
        audience={
            "Australia/Sydney": 20,
            "Pacific/Auckland": 15,
            "Pacific/Fiji": 15,
            "America/Lima": 15,
            "America/Mexico_City": 15,
            "Europe/Paris": 20,
        },
        repeat_at=time(7, 0),
        repeat_public=("losa", "jone"),
    ),
]


def weekday_after(day: date, count: int) -> date:
    """The ``count``-th weekday (Monday to Friday) after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def at_paris(day: date, moment: time) -> datetime:
    """``day`` at ``moment`` Paris time, in UTC (as stored)."""
    return datetime.combine(day, moment, tzinfo=ZoneInfo(REFERENCE_ZONE)).astimezone(UTC)


# ------------------------------------------------------------------------ the published call


def load_published_call(
    *,
    series: Series,
    password: str,
    contact_for: ContactFinder,
    account: AccountMaker,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Create the published call once: its webinars planned, prepared, published, registered
    for (the cancellation comes after, ``cancel_webinars``, once the invitations are sent).
    Returns (1 when the call was created, else 0; how many registrations were made)."""
    if series.calls.filter(slug=PUBLISHED_SLUG).exists():
        return 0, 0
    now = now or timezone.now()
    secretariat = User.objects.get(email=SECRETARIAT)
    proposals = [spec.proposal for spec in UPCOMING]
    call, decisions = _selected_call(
        series=series,
        slug=PUBLISHED_SLUG,
        title=PUBLISHED_TITLE,
        description=(
            "The third round of the series: its timetable is published and its webinars take "
            "place in the coming weeks."
        ),
        proposals=proposals,
        seats=len(proposals),
        opened=now - timedelta(days=120),
        closed=now - timedelta(days=75),
        password=password,
        contact_for=contact_for,
    )
    for decision in decisions:
        _confirm_hosting(
            decision, available=[], unavailable=[], password=password, contact_for=contact_for
        )
    today = now.astimezone(ZoneInfo(REFERENCE_ZONE)).date()
    webinars = {
        w.title: w for w in Webinar.objects.filter(proposal__call=call).select_related("proposal")
    }
    days = {spec.proposal.title: weekday_after(today, spec.workday) for spec in UPCOMING}
    TimetableRules.objects.create(
        call=call,
        first_date=min(days.values()),
        last_date=max(days.values()) + timedelta(days=7),
        updated_by=secretariat,
    )
    # The secretariat sets the facts, plans and, once the hosts prepared, publishes.
    for spec in UPCOMING:
        webinar_operations.update_webinar(
            actor=secretariat,
            webinar=webinars[spec.proposal.title],
            minutes=60,
            audience=dict(spec.audience) or None,
            members_only=spec.members_only,
            joining_url="",
        )
    starts = {
        webinars[spec.proposal.title].pk: at_paris(days[spec.proposal.title], spec.at)
        for spec in UPCOMING
    }
    webinar_operations.plan(actor=secretariat, call=call, starts=starts)
    for spec in UPCOMING:
        webinar = webinars[spec.proposal.title]
        host = contact_for(webinar.proposal.lead_organisation, password)
        fill_workspace(
            host=host, webinar=webinar, workspace=spec.workspace, day=days[spec.proposal.title]
        )
        if spec.state in ("submitted", "ready"):
            preparation.submit_ready(actor=host, webinar=webinar)
        if spec.state == "ready":
            preparation.approve(actor=secretariat, webinar=webinar)
    timetable_operations.publish(actor=secretariat, call=call)
    count = 0
    for spec in UPCOMING:
        webinar = Webinar.objects.get(pk=webinars[spec.proposal.title].pk)
        if spec.capacity is not None:  # no service sets the capacity yet
            Webinar.objects.filter(pk=webinar.pk).update(capacity=spec.capacity)
            webinar.capacity = spec.capacity
        repeat = None
        if spec.repeat_at is not None:
            start = at_paris(weekday_after(days[spec.proposal.title], 1), spec.repeat_at)
            repeat = RepeatSession.objects.create(
                webinar=webinar, planned_start=start, starts_at=start
            )
        count += _register(webinar, spec.members, spec.public, password=password, account=account)
        count += _register(
            webinar, spec.waiting_members, spec.waiting_public, password=password, account=account
        )
        if repeat is not None:
            count += _register(
                webinar, (), spec.repeat_public, password=password, account=account, repeat=repeat
            )
    return 1, count


def _register(
    webinar: Webinar,
    members: tuple[str, ...],
    public: tuple[str, ...],
    *,
    password: str,
    account: AccountMaker,
    repeat: RepeatSession | None = None,
) -> int:
    """Members register in one click; public registrants register and confirm their address
    by the link e-mailed to them. ``repeat``: they chose the repeat session (set on the
    registration before its invitation is written, after the commit)."""
    for key in members:
        user = member_account(key, password=password, account=account)
        registration.register(actor=user, webinar=webinar, answers=member_answers(user, key))
    for key in public:
        person = PUBLIC[key]
        pending = registration.register_public(
            webinar=webinar,
            name=person.name,
            email=person.email,
            language=person.language,
            zone=person.zone,
            answers=public_answers(person),
        )
        if repeat is not None:
            pending.repeat = repeat
            pending.save(update_fields=["repeat"])
        registration.confirm(token=registration.confirm_token(pending))
    return len(members) + len(public)


def cancel_webinars() -> int:
    """Cancel the published call's webinars meant to be cancelled and not yet cancelled (in
    a transaction after the one that registered their registrants, so that the cancellation
    follows their invitation). Returns how many were cancelled."""
    secretariat = User.objects.filter(email=SECRETARIAT).first()
    if secretariat is None:
        return 0
    count = 0
    for spec in UPCOMING:
        if not spec.cancel_reason:
            continue
        webinar = Webinar.objects.filter(
            proposal__call__slug=PUBLISHED_SLUG,
            proposal__title=spec.proposal.title,
            state__in=cancellation.CANCELLABLE,
        ).first()
        if webinar is None:
            continue
        cancellation.cancel_webinar(actor=secretariat, webinar=webinar, reason=spec.cancel_reason)
        count += 1
    return count
