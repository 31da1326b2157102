"""What the hosts prepared and who registered, for the demo's webinars (issue 12): the
workspaces' contents, the members and public registrants who attend, and the services' calls
that write them.

- The pilot's three webinars were prepared (descriptions in English, French and Spanish, an
  agenda, speakers who consented, the platform and its link), submitted and approved before
  they were published, then held with a handful of named registrants, members and public,
  and an audience of some thirty more each (``audience.py``), with their answers: the past
  data attendance and the reports build on (``prepare_pilot``, ``hold_pilot``).
- The selected call's webinar hosted by ``host@example.org``'s organisation is half prepared:
  a description in English only, no moderator, no joining link (``prepare_host_workspace``):
  the rest is the host's to do on the demo.

The workspaces are written through their services (``webinars.preparation``), so the audit
trail is real. Shortcuts, for the demo only: the pilot's registrations are written directly
and dated before the webinars (registering after the start is refused, and invitations sent
today for webinars long held would be wrong), and so are the dates of its preparation.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from deepdive.accounts.models import User
from deepdive.directory.models import Affiliation, Organisation
from deepdive.series.models import Call
from deepdive.webinars import preparation
from deepdive.webinars.models import Registration, Speaker, Webinar

from .audience import Public, audiences

SECRETARIAT = "secretariat@example.org"

# ``operations._account`` (e-mail, name, organisation, zone, language, password → 1 when
# created) and ``operations._contact`` (organisation, password → its verified contact), passed
# in: this module stands below ``operations``.
AccountMaker = Callable[[str, str, str | None, str, str, str], int]
ContactFinder = Callable[[Organisation, str], User]

# The standard hour of the series: 60 minutes that add up.
AGENDA = (
    ("Welcome and introductions", 5),
    ("Presentation of the experience", 20),
    ("Panel discussion", 15),
    ("Questions from the participants", 15),
    ("Closing and next steps", 5),
)


@dataclass(frozen=True)
class Workspace:
    """What the hosts wrote in a webinar's workspace."""

    descriptions: dict[str, str]
    speakers: tuple[tuple[str, str, str], ...]  # name, title, short bio
    moderator: tuple[str, str] | None  # name, title
    platform: str = "zoom"
    languages: tuple[str, ...] = ("en",)
    interpretation: tuple[str, ...] = ("fr", "es")
    interpretation_by: str = "The ILO secretariat's interpreters"
    joining: bool = True
    test_call: bool = True
    agenda: tuple[tuple[str, int], ...] = AGENDA


@dataclass(frozen=True)
class Member:
    """A member attending webinars: a verified contact of a member organisation that hosts no
    demo webinar, with the answers they give when registering."""

    email: str
    name: str
    organisation: str
    zone: str
    language: str
    sex: str
    country: str
    interpretation_needs: str = ""


MEMBERS = {
    "amina": Member(
        "amina.diallo@sahel-cotton-producers-cooperative.example.org",
        "Amina Diallo",
        "Sahel Cotton Producers' Cooperative",
        "Africa/Nouakchott",
        "fr",
        "female",
        "MR",
        "French",
    ),
    "carlos": Member(
        "carlos.quispe@federation-of-mine-and-quarry-workers-demo.example.org",
        "Carlos Quispe",
        "Federation of Mine and Quarry Workers (demo)",
        "America/La_Paz",
        "es",
        "male",
        "BO",
        "Spanish",
    ),
    "valentina": Member(
        "valentina.rojas@republic-of-southmere-demo-country.example.org",
        "Valentina Rojas",
        "Republic of Southmere (demo country)",
        "America/Santiago",
        "es",
        "female",
        "CL",
        "Spanish",
    ),
    "nimal": Member(
        "nimal.perera@secretariat-for-migrant-workers-of-westport-d.example.org",
        "Nimal Perera",
        "Secretariat for Migrant Workers of Westport (demo)",
        "Asia/Colombo",
        "en",
        "male",
        "LK",
    ),
    "maricel": Member(
        "maricel.santos@hope-after-trafficking-survivors-alliance-d.example.org",
        "Maricel Santos",
        "Hope After Trafficking Survivors' Alliance (demo)",
        "Asia/Manila",
        "en",
        "female",
        "PH",
    ),
    "youssef": Member(
        "youssef.benali@morocco-agri-food-employers-demo.example.org",
        "Youssef Benali",
        "Morocco Agri-Food Employers (demo)",
        "Africa/Casablanca",
        "fr",
        "male",
        "MA",
        "French",
    ),
    "chidi": Member(
        "chidi.okafor@survivors-voice-network-demo.example.org",
        "Chidi Okafor",
        "Survivors' Voice Network (demo)",
        "Africa/Lagos",
        "en",
        "another",
        "NG",
    ),
    "kadri": Member(
        "kadri.tamm@baltic-fair-shipping-network-demo.example.org",
        "Kadri Tamm",
        "Baltic Fair Shipping Network (demo)",
        "Europe/Tallinn",
        "en",
        "not_said",
        "EE",
    ),
    "rosa": Member(
        "rosa.martinez@caribbean-child-rights-watch-demo.example.org",
        "Rosa Martínez",
        "Caribbean Child Rights Watch (demo)",
        "America/Santo_Domingo",
        "es",
        "female",
        "DO",
        "Spanish",
    ),
    "wanjiru": Member(
        "wanjiru.kamau@investigative-reporters-on-labour-abuse-demo.example.org",
        "Wanjiru Kamau",
        "Investigative Reporters on Labour Abuse (demo)",
        "Africa/Nairobi",
        "en",
        "female",
        "KE",
    ),
}

PUBLIC = {
    "grace": Public(
        "grace.mwangi@example.net",
        "Grace Mwangi",
        "Nairobi Fair Trade Students' Society",
        "civil_society",
        "Africa/Nairobi",
        "en",
        "female",
        "KE",
    ),
    "daniel": Public(
        "daniel.osei@example.com",
        "Daniel Osei",
        "Independent consultant",
        "",
        "Africa/Accra",
        "en",
        "male",
        "GH",
    ),
    "marie": Public(
        "marie.laurent@example.net",
        "Marie Laurent",
        "Université de Lyon (demo)",
        "academic",
        "Europe/Paris",
        "fr",
        "female",
        "FR",
    ),
    "rafael": Public(
        "rafael.gomez@example.net",
        "Rafael Gómez",
        "Cooperativa Café del Sur (demo)",
        "business",
        "America/Bogota",
        "es",
        "male",
        "CO",
    ),
    "losa": Public(
        "losa.faleolo@example.net",
        "Losa Faleolo",
        "Samoa Fishing Families Association (demo)",
        "civil_society",
        "Pacific/Apia",
        "en",
        "female",
        "WS",
    ),
    "jone": Public(
        "jone.ratu@example.com",
        "Jone Ratu",
        "Suva Port Workers (demo)",
        "workers_organisation",
        "Pacific/Fiji",
        "en",
        "male",
        "FJ",
    ),
    "mele": Public(
        "mele.taufa@example.net",
        "Mele Taufa",
        "",
        "",
        "Pacific/Tongatapu",
        "en",
        "not_said",
        "TO",
    ),
    "ana": Public(
        "ana.flores@example.com",
        "Ana Flores",
        "Universidad de Guadalajara (demo)",
        "academic",
        "America/Mexico_City",
        "es",
        "female",
        "MX",
    ),
}


# ------------------------------------------------------------------------------ the pilot

PILOT_WORKSPACES = {
    "Child-labour-free zones in Uganda's coffee districts": Workspace(
        descriptions={
            "en": "How coffee districts in Uganda became child-labour-free zones: village "
            "committees, school enrolment drives and buyers who pay for the monitoring.",
            "fr": "Comment des districts caféiers de l'Ouganda sont devenus des zones sans "
            "travail des enfants : comités villageois, campagnes de scolarisation et acheteurs "
            "qui financent le suivi.",
            "es": "Cómo distritos cafeteros de Uganda se convirtieron en zonas libres de "
            "trabajo infantil: comités de aldea, campañas de escolarización y compradores que "
            "financian el seguimiento.",
        },
        speakers=(
            ("Grace Namutebi", "Programme director", "Leads the Trust's work in four districts."),
            ("Peter Ssemakula", "Coffee farmer and committee chair", "Chairs a village committee."),
        ),
        moderator=("Samira Secretariat", "ILO, secretariat of the Action Group"),
    ),
    "Seafood processing workers organise against forced labour": Workspace(
        descriptions={
            "en": "Workers in Viet Nam's seafood processing plants organised to end retained "
            "wages and excessive overtime: what the union negotiated and what changed.",
            "fr": "Les travailleurs des usines de transformation des produits de la mer du "
            "Viet Nam se sont organisés contre les retenues sur salaire et les heures "
            "supplémentaires excessives : ce que le syndicat a négocié et ce qui a changé.",
            "es": "Los trabajadores de las plantas procesadoras de mariscos de Viet Nam se "
            "organizaron contra la retención de salarios y las horas extra excesivas: lo que "
            "negoció el sindicato y lo que cambió.",
        },
        speakers=(
            ("Nguyen Thi Hoa", "Union organiser", "Organises workers in three provinces."),
            ("Tran Van Minh", "Plant manager", "Manages a shrimp processing plant."),
        ),
        moderator=("Samira Secretariat", "ILO, secretariat of the Action Group"),
        platform="teams",
    ),
    "Recruitment fees in Central American maquilas": Workspace(
        descriptions={
            "en": "Who pays the recruitment fees of maquila workers in Guatemala and Honduras, "
            "and how brands and suppliers can repay them: findings of a two-year study.",
            "fr": "Qui paie les frais de recrutement des travailleurs des maquilas au "
            "Guatemala et au Honduras, et comment les marques et les fournisseurs peuvent les "
            "rembourser : résultats d'une étude de deux ans.",
            "es": "Quién paga las comisiones de contratación de los trabajadores de las "
            "maquilas en Guatemala y Honduras, y cómo las marcas y los proveedores pueden "
            "reembolsarlas: resultados de un estudio de dos años.",
        },
        speakers=(
            ("Lucía Herrera", "Researcher", "Leads the Observatory's study of fees."),
            ("José Aguilar", "Worker representative", "Former maquila worker, now an organiser."),
        ),
        moderator=("Samira Secretariat", "ILO, secretariat of the Action Group"),
        languages=("es",),
        interpretation=("en", "fr"),
        platform="webex",
    ),
}

# Who registered for each pilot webinar, in the order of PILOT_WORKSPACES: member keys,
# public keys.
PILOT_REGISTRANTS = [
    (("amina", "chidi", "wanjiru", "youssef"), ("grace", "daniel")),
    (("nimal", "maricel", "kadri"), ("marie", "jone")),
    (("carlos", "rosa", "valentina", "amina"), ("rafael", "ana", "mele")),
]


# --------------------------------------------------------------- the selected call's host

HOST_WORKSPACE = Workspace(
    descriptions={
        "en": "Small and medium garment makers in Morocco share how they changed their "
        "purchasing practices to reduce forced labour risks: realistic lead times, fair prices "
        "and grievance channels that workers trust."
    },
    speakers=(
        (
            "Leila Amrani",
            "Compliance manager",
            "Works with forty garment SMEs on social compliance.",
        ),
    ),
    moderator=None,
    languages=("en", "fr"),
    interpretation=("es",),
    interpretation_by="Atlas Garment Makers' Association",
    joining=False,
    test_call=False,
)


# ------------------------------------------------------------------------------ accounts


def member_account(key: str, *, password: str, account: AccountMaker) -> User:
    """The member ``key`` of ``MEMBERS`` (``member@example.org`` for "member"), created by
    ``account`` (``operations._account``) when missing."""
    if key == "member":
        return User.objects.get(email="member@example.org")
    person = MEMBERS[key]
    account(person.email, person.name, person.organisation, person.zone, person.language, password)
    return User.objects.get(email=person.email)


def member_answers(user: User, key: str) -> dict[str, Any]:
    """What the member answers to the registration questions."""
    organisation = Organisation.objects.filter(
        affiliations__user=user, affiliations__status=Affiliation.Status.VERIFIED
    ).first()
    person = MEMBERS.get(key)
    return {
        "organisation": organisation,
        "country": person.country if person else "MW",
        "partner_type": organisation.partner_type.code if organisation else "",
        "sex": person.sex if person else "male",
        "interpretation_needs": person.interpretation_needs if person else "",
        "consents_to_contact": key != "kadri",
    }


def public_answers(person: Public) -> dict[str, Any]:
    return {
        "organisation_name": person.organisation,
        "country": person.country,
        "partner_type": person.partner_type,
        "sex": person.sex,
        "consents_to_contact": bool(person.organisation),
    }


# ----------------------------------------------------------------------------- workspaces


def fill_workspace(*, host: User, webinar: Webinar, workspace: Workspace, day: date | None) -> None:
    """Write ``workspace`` through the workspace's services, as the host would."""
    preparation.save_details(
        actor=host,
        webinar=webinar,
        descriptions=workspace.descriptions,
        languages_spoken=list(workspace.languages),
        interpretation=list(workspace.interpretation),
        interpretation_by=workspace.interpretation_by if workspace.interpretation else "",
    )
    preparation.save_agenda(
        actor=host,
        webinar=webinar,
        items=[preparation.AgendaLine(title, minutes) for title, minutes in workspace.agenda],
    )
    organisation = webinar.proposal.lead_organisation
    people = [
        preparation.Person(
            name=name,
            title=title,
            organisation=organisation,
            bio=bio,
            consents_to_listing=True,
            consents_to_recording=True,
        )
        for name, title, bio in workspace.speakers
    ]
    if workspace.moderator is not None:
        name, title = workspace.moderator
        people.append(
            preparation.Person(
                name=name,
                role=Speaker.Role.MODERATOR,
                title=title,
                consents_to_listing=True,
                consents_to_recording=True,
            )
        )
    preparation.save_speakers(actor=host, webinar=webinar, people=people)
    link = f"https://{workspace.platform}.example.org/j/deepdive-{webinar.pk}"
    preparation.save_technical(
        actor=host,
        webinar=webinar,
        platform=workspace.platform,
        joining_url=link if workspace.joining else "",
        dial_in="",
        test_call_on=day - timedelta(days=3) if workspace.test_call and day else None,
    )


def prepare_host_workspace(
    *, call: Call, organisation: str, password: str, contact_for: ContactFinder
) -> None:
    """Half of the workspace of the webinar of ``call`` hosted by ``organisation`` (the demo
    host's): the rest is theirs to do on the demo."""
    webinar = Webinar.objects.filter(
        proposal__call=call, proposal__lead_organisation__name=organisation
    ).first()
    if webinar is None or webinar.descriptions:
        return
    host = contact_for(webinar.proposal.lead_organisation, password)
    fill_workspace(host=host, webinar=webinar, workspace=HOST_WORKSPACE, day=None)


def prepare_pilot(
    *, call: Call, starts: dict[str, datetime], password: str, contact_for: ContactFinder
) -> None:
    """The pilot's workspaces, filled by their hosts, submitted and approved before the
    webinars were published (``starts``: title → start); the dates of those steps are then
    moved to the weeks before each webinar."""
    secretariat = User.objects.get(email=SECRETARIAT)
    for webinar in Webinar.objects.filter(proposal__call=call).select_related("proposal"):
        start = starts[webinar.title]
        host = contact_for(webinar.proposal.lead_organisation, password)
        fill_workspace(
            host=host,
            webinar=webinar,
            workspace=PILOT_WORKSPACES[webinar.title],
            day=start.date(),
        )
        preparation.submit_ready(actor=host, webinar=webinar)
        preparation.approve(actor=secretariat, webinar=webinar)
        Webinar.objects.filter(pk=webinar.pk).update(
            host_active_at=start - timedelta(days=12),
            submitted_at=start - timedelta(days=12),
            approved_at=start - timedelta(days=10),
        )


# "Interpretation needs" as the audience answers them, for the languages they read.
INTERPRETATION_INTO = {"en": "English", "fr": "French", "es": "Spanish"}


def audience_rows(
    webinar: Webinar, people: list[Public], workspace: Workspace
) -> list[Registration]:
    """The registrations of the webinar's public audience (``audience.py``), confirmed over the
    four weeks before it; every other one not speaking the webinar's languages asks for
    interpretation into their own."""
    assert webinar.starts_at is not None
    rows = []
    for n, person in enumerate(people):
        needs = (
            INTERPRETATION_INTO[person.language]
            if n % 2 == 0
            and person.language not in workspace.languages
            and person.language in workspace.interpretation
            else ""
        )
        rows.append(
            Registration(
                webinar=webinar,
                name=person.name,
                email=person.email,
                email_verified_at=webinar.starts_at
                - timedelta(days=1 + (n * 11) % 27, hours=(n * 5) % 24),
                language=person.language,
                timezone=person.zone,
                interpretation_needs=needs,
                **{
                    **public_answers(person),
                    # One in four of them does not agree to be contacted.
                    "consents_to_contact": bool(person.organisation) and n % 4 != 3,
                },
            )
        )
    return rows


def hold_pilot(*, call: Call, password: str, account: AccountMaker, now: datetime) -> int:
    """The pilot's registrants (the named members and public, and each webinar's audience of
    some thirty more, ``audience.py``, registered in the weeks before), then the
    webinars marked as held by the platform's own step (``preparation.mark_held``, which
    marks every published webinar that has ended: when the pilot is created, only its own).
    Returns how many registrations."""
    count = 0
    webinars = {
        w.title: w for w in Webinar.objects.filter(proposal__call=call).select_related("proposal")
    }
    for title, (members, public), people in zip(
        PILOT_WORKSPACES, PILOT_REGISTRANTS, audiences(), strict=True
    ):
        webinar = webinars[title]
        assert webinar.starts_at is not None
        rows = []
        for n, key in enumerate(members):
            user = member_account(key, password=password, account=account)
            rows.append(
                Registration(
                    webinar=webinar,
                    user=user,
                    name=user.name,
                    email=user.email,
                    email_verified_at=webinar.starts_at - timedelta(days=20 - n),
                    language=user.language,
                    timezone=user.timezone,
                    **member_answers(user, key),
                )
            )
        for n, key in enumerate(public):
            person = PUBLIC[key]
            rows.append(
                Registration(
                    webinar=webinar,
                    name=person.name,
                    email=person.email,
                    email_verified_at=webinar.starts_at - timedelta(days=10 - n),
                    language=person.language,
                    timezone=person.zone,
                    **public_answers(person),
                )
            )
        rows += audience_rows(webinar, people, PILOT_WORKSPACES[title])
        for row in Registration.objects.bulk_create(rows):
            Registration.objects.filter(pk=row.pk).update(
                created_at=row.email_verified_at, updated_at=row.email_verified_at
            )
        count += len(rows)
    preparation.mark_held(now=now)
    return count
