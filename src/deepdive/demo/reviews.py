"""The demo's reviewed call: closed for proposals, under review, with a pool of five reviewers
(one harsh, one kind, one who disagrees), one conflict, an optimal assignment and most reviews in.

Everything goes through the operations the pages use. Two shortcuts, for the demo only: the
call is created open (proposals can only be made then) and its dates are then moved into the
past; the reviewer accounts are created with verified addresses.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.utils import timezone

from deepdive.accounts.models import User
from deepdive.directory.models import Organisation
from deepdive.proposals import operations as proposal_operations
from deepdive.reference.models import Criterion, Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.reviews.models import Assignment
from deepdive.reviews.operations import assignment as assignment_operations
from deepdive.reviews.operations import pool as pool_operations
from deepdive.reviews.operations import reviewing as review_operations
from deepdive.series.models import Call, Series

ZONE = "Europe/Zurich"

# (lead organisation, title, themes, sectors, countries, Outcomes, quality 1..5 per criterion)
# The four best scored say nothing about human trafficking: a selection of four that keeps the
# concept note's balance beats "the top four by score", and the run page shows by how much.
PROPOSALS = [
    (
        "Kestrel Institute for Labour Research",
        "Counting forced labour in fishing fleets",
        ["forced_labour"],
        ["fishing"],
        ["TH", "ID"],
        [1],
        4,
    ),
    (
        "Lake Malawi Tea Workers' Union",
        "Collective bargaining against child labour on tea estates",
        ["child_labour"],
        ["agriculture"],
        ["MW"],
        [3, 4],
        5,
    ),
    (
        "Atlas Garment Makers' Association",
        "Fair hiring of migrant workers in garment SMEs",
        ["forced_labour", "human_trafficking"],
        ["cotton_garment"],
        ["MA"],
        [2],
        2,
    ),
    (
        "Himalaya Safe Migration Network",
        "Pre-departure training that prevents trafficking",
        ["human_trafficking"],
        ["construction"],
        ["NP"],
        [3],
        4,
    ),
    (
        "Copperline Mining Ltd (demo)",
        "Traceability of artisanal cobalt",
        ["child_labour"],
        ["mining"],
        ["CD"],
        [4],
        2,
    ),
    (
        "Delta Rural Education Trust",
        "School meals and cocoa: keeping children in class",
        ["child_labour"],
        ["cocoa", "agriculture"],
        ["NG"],
        [4],
        3,
    ),
    (
        "Blue Reef Fishers' Collective",
        "Fishers' phones as labour inspectors",
        ["forced_labour"],
        ["fishing"],
        ["FJ"],
        [3],
        4,
    ),
    (
        "Mexican Agricultural Day-Labourers' Network (demo)",
        "Joint inspections against debt bondage in export agriculture",
        ["forced_labour"],
        ["agriculture"],
        ["MX"],
        [2, 4],
        4,
    ),
]

# (e-mail, name, leniency added to every score, themes, sectors, regions, languages)
REVIEWERS = [
    (
        "secretariat@example.org",
        None,
        0,
        ["child_labour", "forced_labour"],
        ["agriculture"],
        ["africa", "asia_pacific"],
        ["en", "fr"],
    ),
    (
        "reviewer@example.org",
        None,
        0,
        ["forced_labour", "human_trafficking"],
        ["fishing"],
        ["asia_pacific", "americas"],
        ["en", "es"],
    ),
    (
        "reviewer2@example.org",
        "Hana Harsh (demo reviewer)",
        -1,
        ["child_labour"],
        ["mining", "cocoa"],
        ["africa"],
        ["en", "fr"],
    ),
    (
        "reviewer3@example.org",
        "Kofi Kind (demo reviewer)",
        1,
        ["forced_labour", "child_labour"],
        ["agriculture", "cotton_garment"],
        ["africa", "americas"],
        ["en", "es"],
    ),
    (
        "reviewer4@example.org",
        "Dana Differs (demo reviewer)",
        0,
        ["human_trafficking"],
        ["construction", "fishing"],
        ["asia_pacific", "arab_states"],
        ["en"],
    ),
]
# Dana scores this proposal far below the others: the ranking flags the disagreement.
DISAGREES_ON = "Pre-departure training that prevents trafficking"


def add_reviewer(*, secretariat, call: Call, row: tuple, password: str):
    """One reviewer of ``REVIEWERS`` in the pool of ``call``, with a verified account (created
    when missing), the invitation accepted and their expertise."""
    email, name, _lean, themes, sectors, regions, languages = row
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, name=name, timezone="UTC", language="en"
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    reviewer = pool_operations.add_reviewer(actor=secretariat, call=call, email=email)
    if reviewer.status != reviewer.Status.ACTIVE:
        reviewer = pool_operations.accept_invitation(actor=user, reviewer=reviewer)
    pool_operations.update_expertise(
        actor=user,
        reviewer=reviewer,
        themes=list(Theme.objects.filter(code__in=themes)),
        sectors=list(Sector.objects.filter(code__in=sectors)),
        regions=[r for r in regions if r in IloRegion.values],
        languages=languages,
    )
    return reviewer


def load_reviewed_call(*, series: Series, password: str, contact_for, now=None) -> int:
    """Create the reviewed call once; return 1 when it was created, else 0."""
    if series.calls.filter(slug="first-round-reviewed").exists():
        return 0
    now = now or timezone.now()
    zone = ZoneInfo(ZONE)
    secretariat = User.objects.get(email="secretariat@example.org")
    call = Call.objects.create(
        series=series,
        slug="first-round-reviewed",
        title="First round of webinar proposals (under review)",
        description="The first round of the series: proposals are closed and under review.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        timezone=ZONE,
        seats=4,
    )
    call.outcomes.set(series.action_group.outcomes.all())
    call.themes.set(Theme.objects.all())
    call.sectors.set(Sector.objects.all())
    outcomes = {o.number: o for o in series.action_group.outcomes.all()}
    quality = {}
    for lead_name, title, themes, sectors, countries, numbers, level in PROPOSALS:
        lead = Organisation.objects.get(name=lead_name)
        author = contact_for(lead, password)
        saved = proposal_operations.create_draft(
            actor=author,
            call=call,
            submit=True,
            data=proposal_operations.ProposalData(
                lead_organisation=lead,
                contact_name=author.name,
                contact_email=author.email,
                title=title,
                description=f"{title}: what was done, with whom, the results and how to scale "
                "them. A fictitious proposal of the Deep Dive demonstration.",
                outcomes=[outcomes[n] for n in numbers],
                themes=list(Theme.objects.filter(code__in=themes)),
                sectors=list(Sector.objects.filter(code__in=sectors)),
                countries=countries,
                language="en",
                speakers=[proposal_operations.SpeakerData(name=f"Speaker of {lead.acronym}")],
            ),
        )
        quality[saved.proposal.pk] = level
    # The call closed a week ago; the review opened the day after.
    closed = datetime.combine(
        (now - timedelta(days=7)).astimezone(zone).date(), time(23, 59), tzinfo=zone
    )
    Call.objects.filter(pk=call.pk).update(opens_at=closed - timedelta(days=90), closes_at=closed)
    call.refresh_from_db()

    review_round = pool_operations.ensure_round(call=call)
    pool_operations.update_round(
        actor=secretariat,
        review_round=review_round,
        reviewers_per_proposal=3,
        default_max_load=6,
        opens_at=closed + timedelta(minutes=1),
        closes_at=datetime.combine(
            (now + timedelta(days=21)).astimezone(zone).date(), time(18, 0), tzinfo=zone
        ),
        timezone=ZONE,
        objective="total",
        others_visible_after_submit=True,
    )
    leniency = {}
    for row in REVIEWERS:
        reviewer = add_reviewer(secretariat=secretariat, call=call, row=row, password=password)
        leniency[reviewer.pk] = row[2]

    run = assignment_operations.propose_assignment(actor=secretariat, call=call, objective="total")
    assignment_operations.save_run(actor=secretariat, run=run)

    criteria = list(Criterion.objects.values_list("code", flat=True))
    for assignment in Assignment.objects.filter(
        proposal__call=call, status=Assignment.Status.ACTIVE
    ).select_related("reviewer__user", "proposal"):
        reviewer, proposal = assignment.reviewer, assignment.proposal
        if reviewer.user.email == "reviewer@example.org":
            continue  # left for the demo reviewer to do
        level = quality[proposal.pk] + leniency[reviewer.pk]
        if reviewer.user.email == "reviewer4@example.org" and proposal.title == DISAGREES_ON:
            level = 1
        scores = {
            code: max(1, min(5, level + (1 if i == 0 and level < 5 else 0)))
            for i, code in enumerate(criteria)
        }
        total = sum(scores.values())
        review_operations.save_review(
            actor=reviewer.user,
            reviewer=reviewer,
            proposal=proposal,
            expected_version=0,
            submit=True,
            data=review_operations.ReviewData(
                scores=scores,
                overall_comment="A demo review.",
                recommendation="select" if total >= 15 else "maybe" if total >= 11 else "reject",
                confidence=2,
            ),
        )
    return 1
