"""The demo's selected call and its pilot (issue 6: the timetable and the public programme).

- "2026-round-selected": a call closed and reviewed in the past whose selection is confirmed:
  six selected webinars, acting from Côte d'Ivoire to Fiji, whose hosts confirmed with their
  availability (``host@example.org`` hosts the Atlas Garment Makers' Association's), and
  timetable rules with the defaults over twelve weeks of weekdays starting at least three weeks
  from now, with a blackout date. The timetable is NOT planned: the secretariat does it.
  The demo host's workspace is half prepared (``workspaces.prepare_host_workspace``).
- "2026-pilot": a small past call whose three webinars were prepared, approved, published and
  held in the last weeks (their registrants: ``workspaces.hold_pilot``, run by ``load_demo``),
  so the public programme has past webinars.

Everything goes through the operations the pages use (proposals, reviews, the selection run,
its confirmation, the decision e-mails approved, the hosts' answers). Shortcuts, for the demo
only, as in ``reviews.py``: each call is created open and its dates then moved into the past,
and so is its review round; the pilot's past times are written on its webinars directly
(publishing through the timetable would notify its hosts today of webinars long held).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from deepdive.accounts.models import User
from deepdive.directory.models import Organisation
from deepdive.outbox.operations import approve_batch
from deepdive.proposals import operations as proposal_operations
from deepdive.reference.models import Criterion, Sector, Theme
from deepdive.reviews.models import Assignment
from deepdive.reviews.operations import assignment as assignment_operations
from deepdive.reviews.operations import pool as pool_operations
from deepdive.reviews.operations import reviewing as review_operations
from deepdive.selection import decisions as selection_decisions
from deepdive.selection import operations as selection_operations
from deepdive.selection.decisions import answer_hosting
from deepdive.selection.models import Decision
from deepdive.series.models import Call, Series
from deepdive.timetable.models import TimetableRules
from deepdive.webinars.models import Webinar

from .reviews import REVIEWERS, add_reviewer
from .workspaces import prepare_host_workspace, prepare_pilot

ZONE = "Europe/Zurich"
REFERENCE_ZONE = "Europe/Paris"
SELECTED_SLUG = "2026-round-selected"
PILOT_SLUG = "2026-pilot"
HOST_EMAIL = "host@example.org"
HOST_ORGANISATION = "Atlas Garment Makers' Association"


@dataclass(frozen=True)
class DemoProposal:
    lead: str
    title: str
    themes: tuple[str, ...]
    sectors: tuple[str, ...]
    countries: tuple[str, ...]
    outcomes: tuple[int, ...]
    quality: int  # 1..5, what its reviewers score on every criterion
    # Offsets in days from the first date of the timetable's period.
    available: tuple[tuple[int, int], ...] = ()
    unavailable: tuple[int, ...] = ()


# Eight proposals for six seats: the optimiser keeps the themes and the Outcomes balanced and
# one webinar per organisation. The hosts' availability varies: some any date, some periods.
SELECTED = [
    DemoProposal(
        HOST_ORGANISATION,
        "Responsible purchasing and forced labour risks in Moroccan garment SMEs",
        ("forced_labour", "human_trafficking"),
        ("cotton_garment",),
        ("MA",),
        (2,),
        5,
        available=((0, 25), (42, 81)),
        unavailable=(9, 44),
    ),
    DemoProposal(
        "Cocoa Horizon Trading (demo)",
        "Child labour monitoring in Côte d'Ivoire's cocoa cooperatives",
        ("child_labour",),
        ("cocoa",),
        ("CI",),
        (4,),
        4,
        unavailable=(14, 15),
    ),
    DemoProposal(
        "Blue Reef Fishers' Collective",
        "Survivors at the table: recruiting fishers fairly in Thailand and Indonesia",
        ("human_trafficking", "forced_labour"),
        ("fishing",),
        ("TH", "ID"),
        (1,),
        4,
        available=((21, 81),),
    ),
    DemoProposal(
        "Ministry of Social Protection of Riverland (demo)",
        "Safe migration desks in Nepal's districts",
        ("human_trafficking",),
        ("construction",),
        ("NP",),
        (3,),
        4,
        available=((0, 39),),
        unavailable=(22,),
    ),
    DemoProposal(
        "Mexican Agricultural Day-Labourers' Network (demo)",
        "Ethical recruitment for Mexican farm workers, from village to harvest",
        ("forced_labour", "human_trafficking"),
        ("agriculture",),
        ("MX",),
        (2, 4),
        4,
    ),
    DemoProposal(
        "Pacific Islands Labour Forum",
        "Decent work on Pacific tuna longliners: lessons from Fiji",
        ("forced_labour",),
        ("fishing",),
        ("FJ",),
        (1, 3),
        4,
        available=((35, 81),),
        unavailable=(49, 50),
    ),
    DemoProposal(
        "Andean Community Radio Network (demo)",
        "Community radio against child labour in Peru's artisanal gold mines",
        ("child_labour",),
        ("mining",),
        ("PE",),
        (4,),
        4,
        available=((7, 60),),
    ),
    DemoProposal(
        "Silk Road Labour Observatory (demo)",
        "Monitoring the cotton harvest without forced labour",
        ("forced_labour",),
        ("cotton_garment",),
        ("UZ",),
        (1,),
        2,
    ),
]

PILOT = [
    DemoProposal(
        "Uganda Child Labour Free Zones Trust (demo)",
        "Child-labour-free zones in Uganda's coffee districts",
        ("child_labour",),
        ("coffee",),
        ("UG",),
        (4,),
        4,
    ),
    DemoProposal(
        "Viet Nam Seafood Workers' Union (demo)",
        "Seafood processing workers organise against forced labour",
        ("forced_labour",),
        ("fishing",),
        ("VN",),
        (3,),
        4,
    ),
    DemoProposal(
        "Central American Maquila Observatory (demo)",
        "Recruitment fees in Central American maquilas",
        ("forced_labour", "human_trafficking"),
        ("cotton_garment",),
        ("GT", "HN"),
        (2,),
        4,
    ),
]
# The pilot's webinars: weeks before now, ISO weekday (Tuesday to Thursday), at 14:00 Paris.
PILOT_WEEKS = [(7, 2), (5, 4), (3, 3)]

# Observances and holidays that fall in a timetable period are blacked out (month, day, label).
OBSERVANCES = [
    (12, 2, "International Day for the Abolition of Slavery"),
    (12, 10, "Human Rights Day"),
    (12, 18, "International Migrants Day"),
    (12, 25, "Christmas Day"),
    (1, 1, "New Year's Day"),
    (3, 8, "International Women's Day"),
    (5, 1, "International Workers' Day"),
    (6, 12, "World Day against Child Labour"),
    (7, 30, "World Day against Trafficking in Persons"),
    (8, 23, "International Day for the Remembrance of the Slave Trade and its Abolition"),
]


def first_monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def timetable_period(now: datetime) -> tuple[date, date]:
    """From the first Monday at least three weeks after ``now`` to twelve weeks later (the
    Friday of the twelfth week)."""
    first = first_monday_after(now.astimezone(ZoneInfo(REFERENCE_ZONE)).date() + timedelta(weeks=3))
    return first, first + timedelta(weeks=12) - timedelta(days=3)


def blackout_in(first: date, last: date) -> list[dict[str, str]]:
    """The observances on weekdays of the period, or one demo meeting when none falls in it."""
    found = []
    for year in range(first.year, last.year + 1):
        for month, day, label in OBSERVANCES:
            moment = date(year, month, day)
            if first <= moment <= last and moment.weekday() < 5:
                found.append({"date": moment.isoformat(), "label": label})
    if not found:
        meeting = first + timedelta(weeks=5, days=2)
        found.append(
            {
                "date": meeting.isoformat(),
                "label": "Alliance 8.7 Global Coordinating Group meeting (demo)",
            }
        )
    return sorted(found, key=lambda item: item["date"])


def load_selected_call(*, series: Series, password: str, contact_for, now=None) -> int:
    """Create the selected call once; return 1 when it was created, else 0."""
    if series.calls.filter(slug=SELECTED_SLUG).exists():
        return 0
    now = now or timezone.now()
    call, decisions = _selected_call(
        series=series,
        slug=SELECTED_SLUG,
        title="Second round: selected webinars",
        description=(
            "The second round of the series: proposals are reviewed, the selection is "
            "confirmed and the hosts have confirmed. The timetable is next."
        ),
        proposals=SELECTED,
        seats=6,
        opened=now - timedelta(days=150),
        closed=now - timedelta(days=60),
        password=password,
        contact_for=contact_for,
    )
    first, last = timetable_period(now)
    by_title = {p.title: p for p in SELECTED}
    for decision in decisions:
        if decision.outcome != Decision.Outcome.SELECTED:
            continue
        spec = by_title[decision.proposal.title]
        _confirm_hosting(
            decision,
            available=[
                (first + timedelta(days=a), min(last, first + timedelta(days=b)))
                for a, b in spec.available
            ],
            unavailable=[first + timedelta(days=d) for d in spec.unavailable],
            password=password,
            contact_for=contact_for,
        )
    TimetableRules.objects.create(
        call=call,
        first_date=first,
        last_date=last,
        blackout=blackout_in(first, last),
        updated_by=User.objects.get(email="secretariat@example.org"),
    )
    prepare_host_workspace(
        call=call, organisation=HOST_ORGANISATION, password=password, contact_for=contact_for
    )
    return 1


def load_pilot_call(*, series: Series, password: str, contact_for, now=None) -> int:
    """Create the pilot call, with its three published past webinars, once; return 1 when it
    was created, else 0."""
    if series.calls.filter(slug=PILOT_SLUG).exists():
        return 0
    now = now or timezone.now()
    call, decisions = _selected_call(
        series=series,
        slug=PILOT_SLUG,
        title="Pilot webinars",
        description="The pilot of the series: three webinars, held in the last weeks.",
        proposals=PILOT,
        seats=3,
        opened=now - timedelta(days=240),
        closed=now - timedelta(days=180),
        password=password,
        contact_for=contact_for,
    )
    for decision in decisions:
        _confirm_hosting(
            decision, available=[], unavailable=[], password=password, contact_for=contact_for
        )
    paris = ZoneInfo(REFERENCE_ZONE)
    today = now.astimezone(paris).date()
    times = {}
    for (weeks, weekday), spec in zip(PILOT_WEEKS, PILOT, strict=True):
        day = today - timedelta(weeks=weeks)
        day += timedelta(days=weekday - 1 - day.weekday())
        times[spec.title] = datetime.combine(day, time(14, 0), tzinfo=paris)
    # Prepared, submitted and approved before publication (``workspaces.py``).
    prepare_pilot(call=call, starts=times, password=password, contact_for=contact_for)
    starts = []
    for title, start in times.items():
        starts.append(start.date())
        published = start - timedelta(weeks=4)
        Webinar.objects.filter(proposal__call=call, proposal__title=title).update(
            planned_start=start, starts_at=start, published_at=published, sequence=0
        )
    # The pilot is over: its hosts answered long ago (a shortcut, as for the call's dates).
    for decision in decisions:
        type(decision).objects.filter(pk=decision.pk).update(
            host_deadline=closed_at(call) + timedelta(days=21),
            host_answered_at=closed_at(call) + timedelta(days=10),
        )
    TimetableRules.objects.create(
        call=call,
        first_date=min(starts) - timedelta(days=7),
        last_date=max(starts) + timedelta(days=7),
        updated_by=User.objects.get(email="secretariat@example.org"),
    )
    return 1


def closed_at(call: Call) -> datetime:
    return Call.objects.values_list("closes_at", flat=True).get(pk=call.pk)


def _confirm_hosting(decision, *, available, unavailable, password, contact_for) -> None:
    host = contact_for(decision.proposal.lead_organisation, password)
    answer_hosting(
        actor=host, decision=decision, confirm=True, available=available, unavailable=unavailable
    )


def _selected_call(
    *,
    series: Series,
    slug: str,
    title: str,
    description: str,
    proposals: list[DemoProposal],
    seats: int,
    opened: datetime,
    closed: datetime,
    password: str,
    contact_for,
):
    """A call with ``proposals`` submitted, every one reviewed twice, its selection run and
    confirmed as the decision (the decision e-mails approved); returns (call, decisions)."""
    zone = ZoneInfo(ZONE)
    now = timezone.now()
    secretariat = User.objects.get(email="secretariat@example.org")
    call = Call.objects.create(
        series=series,
        slug=slug,
        title=title,
        description=description,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        timezone=ZONE,
        seats=seats,
    )
    call.outcomes.set(series.action_group.outcomes.all())
    call.themes.set(Theme.objects.all())
    call.sectors.set(Sector.objects.all())
    outcomes = {o.number: o for o in series.action_group.outcomes.all()}
    quality = {}
    for spec in proposals:
        lead = Organisation.objects.get(name=spec.lead)
        author = contact_for(lead, password)
        saved = proposal_operations.create_draft(
            actor=author,
            call=call,
            submit=True,
            data=proposal_operations.ProposalData(
                lead_organisation=lead,
                contact_name=author.name,
                contact_email=author.email,
                title=spec.title,
                description=f"{spec.title}: what was done, with whom, the results and how to "
                "scale them. A fictitious proposal of the Deep Dive demonstration.",
                outcomes=[outcomes[n] for n in spec.outcomes],
                themes=list(Theme.objects.filter(code__in=spec.themes)),
                sectors=list(Sector.objects.filter(code__in=spec.sectors)),
                countries=list(spec.countries),
                language="en",
                interpretation=["fr", "es"],
                speakers=[
                    proposal_operations.SpeakerData(
                        name=f"Speaker of {lead.acronym or lead.name}",
                        organisation=lead.name,
                        role="Programme coordinator",
                    )
                ],
            ),
        )
        quality[saved.proposal.pk] = spec.quality

    review_round = pool_operations.ensure_round(call=call)
    pool_operations.update_round(
        actor=secretariat,
        review_round=review_round,
        reviewers_per_proposal=2,
        default_max_load=6,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        timezone=ZONE,
        objective="total",
        others_visible_after_submit=True,
    )
    for row in REVIEWERS:
        add_reviewer(secretariat=secretariat, call=call, row=row, password=password)
    run = assignment_operations.propose_assignment(actor=secretariat, call=call, objective="total")
    assignment_operations.save_run(actor=secretariat, run=run)
    criteria = list(Criterion.objects.values_list("code", flat=True))
    for assignment in Assignment.objects.filter(
        proposal__call=call, status=Assignment.Status.ACTIVE
    ).select_related("reviewer__user", "proposal"):
        level = quality[assignment.proposal_id]
        scores = {
            code: max(1, min(5, level + (1 if i == 0 and level < 5 else 0)))
            for i, code in enumerate(criteria)
        }
        review_operations.save_review(
            actor=assignment.reviewer.user,
            reviewer=assignment.reviewer,
            proposal=assignment.proposal,
            expected_version=0,
            submit=True,
            data=review_operations.ReviewData(
                scores=scores,
                overall_comment="A demo review.",
                recommendation="select" if level >= 4 else "maybe" if level >= 3 else "reject",
                confidence=2,
            ),
        )
    # The call and its review are over: their dates move into the past.
    closes = datetime.combine(closed.astimezone(zone).date(), time(23, 59), tzinfo=zone)
    Call.objects.filter(pk=call.pk).update(opens_at=opened, closes_at=closes)
    type(review_round).objects.filter(pk=review_round.pk).update(
        opens_at=closes + timedelta(minutes=1), closes_at=closes + timedelta(days=21)
    )
    call.refresh_from_db()

    selection = selection_operations.run_selection(actor=secretariat, call=call)
    batch = selection_decisions.confirm_run(
        actor=secretariat, run=selection, host_deadline=now + timedelta(days=14)
    )
    approve_batch(actor=secretariat, batch=batch)
    decisions = list(
        Decision.objects.filter(proposal__call=call)
        .select_related("proposal__lead_organisation")
        .order_by("proposal_id")
    )
    return call, decisions
