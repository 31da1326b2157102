"""Who an invitation goes to: audiences built from the directory and the platform's own
records, never from an uploaded list. Reads only.

An ``Audience`` is a kind and, for some kinds, one value (an Action Group's code, a partner
type's code, an ILO region, a country's code, a webinar's id); it is stored on a campaign as
JSON (``spec``/``from_spec``). ``recipients`` gives each person once (by lower-case address),
with the language and zone to write to them in; ``""`` for a zone means "not known" (the
campaign then uses the series' reference zone).

- The directory's kinds (all members, one Action Group, a partner type, an ILO region, a
  country): active people with a verified affiliation to a member organisation (not merged)
  that matches.
- The platform's records: the registrants of a webinar or of a series (a seat, a place on the
  waiting list or an offer; not an unconfirmed address nor a cancellation), the attendees of a
  webinar (not its hosts), people who agreed to be contacted about the series.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from deepdive.accounts.models import User
from deepdive.core.timezones import is_valid_zone
from deepdive.directory.models import Affiliation
from deepdive.reference.models import ActionGroup, Country, PartnerType
from deepdive.reference.regions import IloRegion
from deepdive.webinars.models import Attendance, Registration, Webinar

MEMBERS = "members"
ACTION_GROUP = "action_group"
PARTNER_TYPE = "partner_type"
REGION = "region"
COUNTRY = "country"
REGISTRANTS = "registrants"
SERIES_REGISTRANTS = "series_registrants"
ATTENDEES = "attendees"
SERIES_NEWS = "series_news"

# The kinds, as the secretariat's form offers them, and the value each needs.
KINDS: dict[str, Any] = {
    MEMBERS: _("All verified contacts of all member organisations"),
    ACTION_GROUP: _("The members of one Action Group"),
    PARTNER_TYPE: _("The members of one partner type"),
    REGION: _("The members in one ILO region"),
    COUNTRY: _("The members in one country"),
    REGISTRANTS: _("The registrants of one webinar"),
    SERIES_REGISTRANTS: _("The registrants of any webinar of the series"),
    ATTENDEES: _("The attendees of one webinar"),
    SERIES_NEWS: _("People who agreed to hear about the series"),
}
DIRECTORY = {MEMBERS, ACTION_GROUP, PARTNER_TYPE, REGION, COUNTRY}
NEEDS_VALUE = {ACTION_GROUP, PARTNER_TYPE, REGION, COUNTRY, REGISTRANTS, ATTENDEES}
# Registrations whose address was confirmed and who did not cancel.
REGISTERED = (
    Registration.Status.REGISTERED,
    Registration.Status.WAITING,
    Registration.Status.OFFERED,
)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    zone: str  # "" when not known


@dataclass(frozen=True)
class Audience:
    """Who: ``kind`` (a key of ``KINDS``), its ``value`` when it needs one, within ``series``
    (the series' registrants, news and webinars)."""

    series_id: int
    kind: str
    value: str = ""

    def spec(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}

    @classmethod
    def from_spec(cls, series_id: int, spec: dict[str, Any]) -> Audience:
        return cls(
            series_id=series_id, kind=str(spec.get("kind", "")), value=str(spec.get("value", ""))
        )


def _language(code: str | None) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _zone(*zones: str | None) -> str:
    return next((zone for zone in zones if zone and is_valid_zone(zone)), "")


def _members(audience: Audience) -> QuerySet[User]:
    verified = Affiliation.objects.filter(
        status=Affiliation.Status.VERIFIED,
        organisation__is_member=True,
        organisation__merged_into__isnull=True,
    )
    value = audience.value
    if audience.kind == ACTION_GROUP:
        verified = verified.filter(organisation__action_groups__code=value)
    elif audience.kind == PARTNER_TYPE:
        verified = verified.filter(organisation__partner_type__code=value)
    elif audience.kind == REGION:
        verified = verified.filter(organisation__countries__ilo_region=value)
    elif audience.kind == COUNTRY:
        verified = verified.filter(organisation__countries__code=value)
    return User.objects.filter(is_active=True, pk__in=verified.values("user_id")).order_by("pk")


def _from_users(users: Iterable[User]) -> Iterator[Recipient]:
    for user in users:
        yield Recipient(
            email=user.email,
            name=user.get_full_name(),
            language=_language(user.language),
            zone=_zone(user.timezone),
        )


def _from_registrations(registrations: QuerySet[Registration]) -> Iterator[Recipient]:
    for registration in registrations.select_related("user").order_by("pk"):
        user = registration.user
        yield Recipient(
            email=registration.email or (user.email if user is not None else ""),
            name=registration.name or (user.get_full_name() if user is not None else ""),
            language=_language(registration.language or (user.language if user else "")),
            zone=_zone(registration.timezone, user.timezone if user else ""),
        )


def _from_attendance(webinar_id: int) -> Iterator[Recipient]:
    rows = (
        Attendance.objects.filter(webinar_id=webinar_id, counted_as_host=False)
        .exclude(email="")
        .select_related("registration__user")
        .order_by("pk")
    )
    accounts = {
        user.email.lower(): user
        for user in User.objects.filter(email__in=[row.email.lower() for row in rows])
    }
    for row in rows:
        registration = row.registration
        user = (registration.user if registration else None) or accounts.get(row.email.lower())
        yield Recipient(
            email=row.email,
            name=row.name or (user.get_full_name() if user else ""),
            language=_language(
                (registration.language if registration else "") or (user.language if user else "")
            ),
            zone=_zone(
                registration.timezone if registration else "", user.timezone if user else ""
            ),
        )


def _raw(audience: Audience) -> Iterator[Recipient]:
    kind = audience.kind
    in_series = Registration.objects.filter(
        webinar__proposal__call__series_id=audience.series_id, status__in=REGISTERED
    )
    if kind in DIRECTORY:
        yield from _from_users(_members(audience))
    elif kind == REGISTRANTS:
        yield from _from_registrations(in_series.filter(webinar_id=_int(audience.value)))
    elif kind == SERIES_REGISTRANTS:
        yield from _from_registrations(in_series)
    elif kind == ATTENDEES:
        webinar = Webinar.objects.filter(
            pk=_int(audience.value), proposal__call__series_id=audience.series_id
        ).first()
        if webinar is not None:
            yield from _from_attendance(webinar.pk)
    elif kind == SERIES_NEWS:
        yield from _from_registrations(in_series.filter(consents_to_contact=True))


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def recipients(audience: Audience) -> list[Recipient]:
    """Everyone in ``audience``, once each by lower-case address (the first record found
    wins), sorted by address; empty for an unknown kind or a value that matches nothing."""
    seen: dict[str, Recipient] = {}
    for recipient in _raw(audience):
        key = recipient.email.strip().lower()
        if key and key not in seen:
            seen[key] = Recipient(key, recipient.name, recipient.language, recipient.zone)
    return [seen[key] for key in sorted(seen)]


def count(audience: Audience) -> int:
    return len(recipients(audience))


def describe(audience: Audience) -> str:
    """The audience in the reader's words, e.g. "The members of one Action Group: Supply
    Chains"."""
    label = str(KINDS.get(audience.kind, audience.kind))
    value = audience.value
    name = ""
    if audience.kind == ACTION_GROUP:
        name = str(ActionGroup.objects.filter(code=value).first() or value)
    elif audience.kind == PARTNER_TYPE:
        name = str(PartnerType.objects.filter(code=value).first() or value)
    elif audience.kind == REGION:
        name = str(dict(IloRegion.choices).get(value, value))
    elif audience.kind == COUNTRY:
        name = str(Country.objects.filter(code=value).first() or value)
    elif audience.kind in {REGISTRANTS, ATTENDEES}:
        name = str(Webinar.objects.filter(pk=_int(value)).first() or value)
    return f"{label}: {name}" if name else label
