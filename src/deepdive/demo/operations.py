"""The demo: reference data, fictitious partners, the contract's demo accounts and the
Supply Chains series with an open call, a call under review, a call whose selected hosts
confirmed (its timetable to plan), a call whose timetable is published with its webinars in
every state before they are held, and a pilot whose webinars were held, with their audience,
attendance and feedback, the first with its recording published; the series' branding; a
communications officer for each member of the Supply Chains Action Group and an invitation
campaign already sent (``invitations.py``); a newsletter issue already sent and a draft one
(``newsletters.py``).
Loading again creates nothing twice."""

import functools
import re
from datetime import datetime, time, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from deepdive.accounts.models import User
from deepdive.communications import operations as communications_operations
from deepdive.communications.models import Branding
from deepdive.core import audit
from deepdive.directory.models import Affiliation, Organisation, OrganisationDomain
from deepdive.proposals import operations as proposal_operations
from deepdive.proposals.models import CoSubmitter, Proposal
from deepdive.reference.models import ActionGroup, Country, PartnerType, Sector, Theme
from deepdive.reference.operations import load_reference_data
from deepdive.series.models import Call, Series

from .actions import DemoAction
from .attendance import answer_pilot_feedback, import_pilot_attendance
from .data import (
    ACCOUNTS,
    ACTION_GROUP_LETTERS,
    CALL_TRANSLATIONS,
    OPEN_CALL_TEXTS,
    ORGANISATIONS,
    PROPOSALS,
    SERIES_TRANSLATIONS,
)
from .invitations import add_communications_officers, send_earlier_invitation
from .newsletters import load_newsletters
from .recordings import publish_pilot_recording
from .reviews import load_reviewed_call
from .selected import PILOT_SLUG, load_pilot_call, load_selected_call
from .webinars import cancel_webinars, load_published_call
from .workplan import link_outputs
from .workspaces import SECRETARIAT, hold_pilot

CALL_ZONE = "Europe/Zurich"
# The series' cards: the ILO's blue, with its yellow as the accent.
BRAND_BLUE = "#1e2dbe"
BRAND_ACCENT = "#ffcd2d"

# A row of data.ORGANISATIONS: name, acronym, partner type, countries, themes, sectors and
# the letters of its Action Groups.
OrganisationRow = tuple[str, str, str, list[str], list[str], list[str], str]
# A row of data.PROPOSALS: lead organisation, title, description, themes, sectors, countries,
# Outcome numbers, partners (name, "confirmed", "declined" or None), organisations not in the
# directory, state ("draft", "submitted" or "withdrawn").
ProposalRow = tuple[
    str,
    str,
    str,
    list[str],
    list[str],
    list[str],
    list[int],
    list[tuple[str, str | None]],
    list[str],
    str,
]


def load_demo(*, password: str | None = None, now: datetime | None = None) -> dict[str, int]:
    """Load everything the demo shows; return how many rows of each kind were created.

    Side effects: reference data, organisations, users with verified e-mail addresses and
    affiliations, one series and its calls (``reviews.py``, ``selected.py``, ``webinars.py``)
    with their proposals, reviews, selections, webinars, workspaces, registrations and
    e-mails; the recording of the pilot's first webinar, published with its captions
    (``recordings.py``); the pilot's attendance reports imported, their follow-up e-mails
    drafted and held for approval, and a few feedback answers (``attendance.py``); the series'
    branding; the communications officers of the Supply
    Chains members and an invitation campaign sent to the workers' organisations
    (``invitations.py``, its e-mails queued); a newsletter issue sent to them too and a draft
    issue (``newsletters.py``); the workplan Outputs of the webinars (``workplan.py``); one
    audit entry. Two transactions: the webinar the demo
    cancels is cancelled in the second (``webinars.cancel_webinars``), and the campaigns are
    sent after it.
    Existing rows are left as they are, except that the series' and calls' French and Spanish
    texts are filled in where they are missing (``_translate``)."""
    password = password or settings.DEMO_PASSWORD
    now = now or timezone.now()
    created = {
        "organisations": 0,
        "accounts": 0,
        "series": 0,
        "calls": 0,
        "proposals": 0,
        "reviewed calls": 0,
        "selected calls": 0,
        "pilot calls": 0,
        "published calls": 0,
        "registrations": 0,
        "recordings": 0,
        "attendance imports": 0,
        "feedback answers": 0,
        "brandings": 0,
        "communications officers": 0,
        "cancelled webinars": 0,
        "campaigns": 0,
        "newsletter issues": 0,
        "webinars linked to workplan Outputs": 0,
    }
    with transaction.atomic():
        load_reference_data()
        groups = {
            letter: ActionGroup.objects.filter(name__icontains=words).first()
            for letter, words in ACTION_GROUP_LETTERS.items()
        }
        for row in ORGANISATIONS:
            created["organisations"] += _organisation(row, groups)
        for email, name, organisation, zone, language in ACCOUNTS:
            created["accounts"] += _account(email, name, organisation, zone, language, password)
        series, new_series = _series(groups["S"])
        created["series"] += new_series
        created["calls"] += _call(series, now)
        created["proposals"] += _proposals(series.calls.order_by("opens_at").last(), password)
        created["reviewed calls"] += load_reviewed_call(
            series=series, password=password, contact_for=_contact, now=now
        )
        created["selected calls"] += load_selected_call(
            series=series, password=password, contact_for=_contact, now=now
        )
        pilot = load_pilot_call(series=series, password=password, contact_for=_contact, now=now)
        created["pilot calls"] += pilot
        if pilot:
            pilot_call = series.calls.get(slug=PILOT_SLUG)
            created["registrations"] += hold_pilot(
                call=pilot_call, password=password, account=_account, now=now
            )
        published, registered = load_published_call(
            series=series, password=password, contact_for=_contact, account=_account, now=now
        )
        created["published calls"] += published
        created["registrations"] += registered
        # Outside the pilot's creation, so that a demo loaded before they existed gets them.
        created["recordings"] += publish_pilot_recording(password=password, contact_for=_contact)
        # After the recording: the thanks the import drafts point to it.
        created["attendance imports"] += import_pilot_attendance()
        created["feedback answers"] += answer_pilot_feedback()
        created["brandings"] += _brand(series)
        created["communications officers"] += add_communications_officers(
            password=password, account=_account
        )
        _translate(series)
    # Cancelled in a transaction of its own, after the one whose commit sent its registrants
    # their invitations: the cancellation (METHOD:CANCEL) must come after them.
    with transaction.atomic():
        created["cancelled webinars"] += cancel_webinars()
        # After the cancellation: the campaign invites to a webinar that takes place.
        created["campaigns"] += send_earlier_invitation(series=series)
        created["newsletter issues"] += load_newsletters(series=series)
        created["webinars linked to workplan Outputs"] += link_outputs(series=series)
        if any(created.values()):
            audit.record(
                actor=None, action=DemoAction.LOADED, summary=f"Demo data loaded: {created}"
            )
    return created


def _brand(series: Series) -> int:
    """The series' branding, saved by the secretariat as on the branding page, once: 1 when
    it was saved, 0 when the series already had one."""
    if Branding.objects.filter(series=series).exists():
        return 0
    communications_operations.save_branding(
        actor=User.objects.get(email=SECRETARIAT),
        series=series,
        colour_primary=BRAND_BLUE,
        colour_accent=BRAND_ACCENT,
        layout=Branding.Layout.BANNER,
    )
    return 1


def _organisation(row: OrganisationRow, groups: dict[str, ActionGroup | None]) -> int:
    name, acronym, type_code, countries, themes, sectors, letters = row
    if Organisation.objects.filter(name=name).exists():
        return 0
    slug = slugify(name)[:200]
    organisation = Organisation.objects.create(
        name=name,
        acronym=acronym,
        slug=slug,
        partner_type=PartnerType.objects.get(code=type_code),
        website=f"https://{slug[:40].strip('-')}.example.org",
        description=(
            f"{name} is a fictitious organisation created for the Deep Dive demonstration. "
            "It works on child labour, forced labour and human trafficking in supply chains."
        ),
    )
    organisation.countries.set(Country.objects.filter(code__in=countries))
    organisation.themes.set(Theme.objects.filter(code__in=themes))
    organisation.sectors.set(Sector.objects.filter(code__in=sectors))
    organisation.action_groups.set(
        [group for letter in letters if (group := groups.get(letter)) is not None]
    )
    OrganisationDomain.objects.create(
        organisation=organisation, domain=f"{slug[:40].strip('-')}.example.org"
    )
    return 1


def _account(
    email: str,
    name: str,
    organisation_name: str | None,
    zone: str,
    language: str,
    password: str,
) -> int:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return 0
    is_secretariat = organisation_name is None
    user = User.objects.create_user(
        email=email,
        password=None,
        name=name,
        timezone=zone,
        language=language,
        is_secretariat=is_secretariat,
        is_staff=is_secretariat,
        is_superuser=is_secretariat,
    )
    User.objects.filter(pk=user.pk).update(password=_hashed(password))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if organisation_name:
        Affiliation.objects.create(
            user=user,
            organisation=Organisation.objects.get(name=organisation_name),
            position="Programme officer",
            status=Affiliation.Status.VERIFIED,
            decided_at=timezone.now(),
        )
    return 1


@functools.cache
def _hashed(password: str) -> str:
    """The demo password, hashed once: every demo account has it, and hashing it for each of
    them (on purpose slow) was most of the demo's load time."""
    return make_password(password)


def _series(supply_chains: ActionGroup | None) -> tuple[Series, int]:
    existing = Series.objects.filter(slug="supply-chains-deep-dive").first()
    if existing is not None:
        return existing, 0
    if supply_chains is None:  # a series needs its Action Group
        raise ActionGroup.DoesNotExist("No Supply Chains Action Group for the demo series.")
    series, new = Series.objects.get_or_create(
        slug="supply-chains-deep-dive",
        defaults={
            "action_group": supply_chains,
            "title": "Deep Dive workshop series of the Supply Chains Action Group",
            "description": (
                "Virtual deep dive workshops in which members of the Alliance 8.7 Supply "
                "Chains Action Group share insights and strategies on tackling child labour, "
                "forced labour and human trafficking in supply chains: research, policy, "
                "advocacy, capacity building and country-level action."
            ),
            "languages": ["en", "fr", "es"],
        },
    )
    return series, int(new)


def _call(series: Series, now: datetime) -> int:
    if series.calls.exists():
        return 0
    zone = ZoneInfo(CALL_ZONE)
    local_now = now.astimezone(zone)
    # The concept note's deadline is 30 September; take the next one at least a month away.
    year = (
        local_now.year
        if local_now.date() < (local_now.date().replace(month=8, day=31))
        else local_now.year + 1
    )
    closes = datetime.combine(datetime(year, 9, 30).date(), time(23, 59), tzinfo=zone)
    opens = datetime.combine((local_now - timedelta(days=7)).date(), time(9, 0), tzinfo=zone)
    call = Call.objects.create(
        series=series,
        slug=f"call-{year}",
        title=f"Call for webinar proposals {year}",
        description=(
            "All members of the Supply Chains Action Group are invited to propose a webinar, "
            "alone or jointly with other members, with special consideration for action in "
            "Pathfinder Countries."
        ),
        opens_at=opens,
        closes_at=closes,
        timezone=CALL_ZONE,
        word_limit=250,
        seats=8,
        **OPEN_CALL_TEXTS,
    )
    call.outcomes.set(series.action_group.outcomes.all())
    call.themes.set(Theme.objects.all())
    call.sectors.set(Sector.objects.all())
    return 1


def _translate(series: Series) -> None:
    """Write the series' and its calls' texts in French and Spanish (``data.py``) where they
    are missing, so that a demo loaded before they existed gets them too."""
    _fill_texts(series, SERIES_TRANSLATIONS)
    for call in series.calls.all():
        year = call.slug.removeprefix("call-") if re.fullmatch(r"call-\d{4}", call.slug) else ""
        translations = CALL_TRANSLATIONS.get("call-{year}" if year else call.slug)
        if translations is None:
            continue
        if year and not call.background and not call.who_may_apply:
            call.background = OPEN_CALL_TEXTS["background"]
            call.who_may_apply = OPEN_CALL_TEXTS["who_may_apply"]
            call.save(update_fields=["background", "who_may_apply"])
        _fill_texts(
            call,
            {
                language: {field: text.replace("{year}", year) for field, text in texts.items()}
                for language, texts in translations.items()
            },
        )


def _fill_texts(obj: Series | Call, translations: dict[str, dict[str, str]]) -> None:
    texts = {language: dict(fields) for language, fields in (obj.texts or {}).items()}
    changed = False
    for language, fields in translations.items():
        written = texts.setdefault(language, {})
        for field, text in fields.items():
            if not written.get(field):
                written[field] = text
                changed = True
    if changed:
        obj.texts = texts
        obj.save(update_fields=["texts"])


def _contact(organisation: Organisation, password: str) -> User:
    """A verified contact of ``organisation``: a demo account, or one made for it."""
    # The first made (users sort by address: "communications@" would come before "contact@").
    existing = (
        User.objects.filter(
            affiliations__organisation=organisation,
            affiliations__status=Affiliation.Status.VERIFIED,
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    domain = organisation.domains.values_list("domain", flat=True)[0]
    email = f"contact@{domain}"
    _account(
        email,
        f"Contact of {organisation.acronym or organisation.name}",
        organisation.name,
        "UTC",
        "en",
        password,
    )
    return User.objects.get(email=email)


def _proposals(call: Call | None, password: str) -> int:
    """The demo call's proposals, made through the same operations as the pages use, so
    that their history, e-mails and co-submitters' decisions are real."""
    if call is None or call.proposals.exists() or not call.is_open_at(timezone.now()):
        return 0
    outcomes = {o.number: o for o in call.series.action_group.outcomes.all()}
    for (
        lead_name,
        title,
        description,
        themes,
        sectors,
        countries,
        numbers,
        partners,
        unlisted,
        state,
    ) in cast(list[ProposalRow], PROPOSALS):
        lead = Organisation.objects.get(name=lead_name)
        author = _contact(lead, password)
        data = proposal_operations.ProposalData(
            lead_organisation=lead,
            contact_name=author.name,
            contact_email=author.email,
            title=title,
            description=description,
            outcomes=[outcomes[n] for n in numbers],
            themes=list(Theme.objects.filter(code__in=themes)),
            sectors=list(Sector.objects.filter(code__in=sectors)),
            countries=countries,
            language="en",
            interpretation=["fr", "es"],
            preferred_months=[2, 3],
            speakers=[
                proposal_operations.SpeakerData(
                    name=f"Speaker of {lead.acronym or lead.name}",
                    organisation=lead.name,
                    role="Programme coordinator",
                    gender="woman",
                ),
                proposal_operations.SpeakerData(
                    name="Moderator (to be confirmed)",
                    organisation=lead.name,
                    role="Moderator",
                    gender="undisclosed",
                ),
            ],
            co_organisations=[Organisation.objects.get(name=name) for name, _ in partners],
            unlisted_organisations=unlisted,
        )
        saved = proposal_operations.create_draft(
            actor=author, call=call, data=data, submit=state != "draft"
        )
        proposal = Proposal.objects.get(pk=saved.proposal.pk)
        for name, decision in partners:
            if decision is None:
                continue
            partner = Organisation.objects.get(name=name)
            co = CoSubmitter.objects.get(proposal=proposal, organisation=partner)
            proposal_operations.decide_participation(
                actor=_contact(partner, password),
                co_submitter=co,
                confirm=decision == "confirmed",
            )
        if state == "withdrawn":
            proposal.refresh_from_db()
            proposal_operations.withdraw(
                actor=author, proposal=proposal, expected_version=proposal.version
            )
    return len(PROPOSALS)
