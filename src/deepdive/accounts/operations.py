"""Writes about people: their preferences and their affiliations to organisations.

Each function runs in one transaction and records an audit entry; e-mails go through the
outbox, in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from deepdive.core import audit, changes
from deepdive.core.permissions import is_secretariat, require, require_secretariat
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone
from deepdive.directory.models import Affiliation, Organisation
from deepdive.outbox.operations import queue_templated_email

from . import queries
from .actions import AccountAction
from .models import User

# Steps of the apps above that follow a verified affiliation (asking the organisation's part in
# a joint proposal that waited for a contact): this app cannot import them, they register here.
_AFTER_VERIFIED: list[Callable[[Affiliation], object]] = []


def register_after_verified(step: Callable[[Affiliation], object]) -> None:
    """Run ``step(affiliation)`` after the commit of every affiliation that becomes verified."""
    if step not in _AFTER_VERIFIED:
        _AFTER_VERIFIED.append(step)


def _after_verified(affiliation: Affiliation) -> None:
    for step in _AFTER_VERIFIED:
        transaction.on_commit(partial(step, affiliation))


class AffiliationExists(Refused):
    """The person has already stated an affiliation to this organisation."""

    def __init__(self) -> None:
        super().__init__(
            errors={
                "organisation": [_("You have already stated an affiliation to this organisation.")]
            }
        )


class AlreadyDecided(Refused):
    """The affiliation is no longer waiting for a decision."""


def _require_self_or_secretariat(actor: User | None, user: User) -> None:
    """Refuse anyone but the person themself and the secretariat (``None``, the platform
    acting, is let through)."""
    require(actor is None or actor.pk == user.pk or is_secretariat(actor))


def language_of(user: User) -> str:
    """The language to write to ``user`` in: theirs, else the site's default."""
    if user.language in dict(settings.LANGUAGES):
        return user.language
    return settings.LANGUAGE_CODE


def update_preferences(
    *,
    actor: User | None,
    user: User,
    name: str | None = None,
    timezone: str | None = None,
    language: str | None = None,
) -> dict[str, list[str]]:
    """Change a person's full name, time zone or language; fields left None are kept.

    Returns the changes as {field: [old, new]} (empty when nothing changed).
    Raises ValueError for an unknown time zone or language, PermissionDenied when ``actor``
    is neither the person nor the secretariat.

    Side effects: the User row (changed fields only, also on the ``user`` object given);
    one audit entry "accounts.preferences" when something changed.
    """
    _require_self_or_secretariat(actor, user)
    wanted: dict[str, str] = {}
    if name is not None:
        wanted["name"] = name.strip()
    if timezone is not None:
        if timezone and not is_valid_zone(timezone):
            raise ValueError(f"Unknown time zone: {timezone!r}")
        wanted["timezone"] = timezone
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise ValueError(f"Unknown language: {language!r}")
        wanted["language"] = language
    changing = {field: value for field, value in wanted.items() if getattr(user, field) != value}
    if not changing:
        return {}
    with transaction.atomic():
        return changes.update(
            user,
            actor=actor,
            action=AccountAction.PREFERENCES,
            summary=f"Preferences of {user.email}: {', '.join(changing)}",
            **changing,
        )


def _verified_domains(user: User) -> set[str]:
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {email.rsplit("@", 1)[1].lower() for email in emails if "@" in email}


def _matches(domains: set[str], organisation: Organisation) -> bool:
    """Whether one of ``domains`` is one of the organisation's domains or a subdomain of one."""
    for org_domain in organisation.domains.values_list("domain", flat=True):
        org_domain = org_domain.strip().lower().lstrip("@").rstrip(".")
        if not org_domain:
            continue
        if any(d == org_domain or d.endswith("." + org_domain) for d in domains):
            return True
    return False


def _mail_decision(affiliation: Affiliation) -> None:
    person = affiliation.user
    queue_templated_email(
        to=person.email,
        template_prefix="accounts/email/affiliation_decided",
        context={"affiliation": affiliation, "person": person},
        language=language_of(person),
        kind="affiliation",
        related=affiliation,
    )


def state_affiliation(
    *, actor: User | None, user: User, organisation: Organisation, position: str = ""
) -> Affiliation:
    """Record that ``user`` works for ``organisation``.

    The affiliation is verified at once (``verified_automatically``) when one of the person's
    verified e-mail addresses is at one of the organisation's e-mail domains or a subdomain of
    one; otherwise it waits for the secretariat.

    Raises AffiliationExists when the person already stated one for this organisation (also
    when a simultaneous request got there first), ValueError for a merged organisation,
    PermissionDenied when ``actor`` is neither the person nor the secretariat.

    Side effects: one Affiliation row; one audit entry "accounts.affiliation_stated"; when
    pending, one e-mail to every active secretariat user (outbox, in their language); when
    verified, the steps registered with ``register_after_verified``, after the commit.
    """
    _require_self_or_secretariat(actor, user)
    if organisation.merged_into_id is not None:
        raise ValueError("This organisation was merged into another one.")
    try:
        with transaction.atomic():
            if Affiliation.objects.filter(user=user, organisation=organisation).exists():
                raise AffiliationExists
            automatic = _matches(_verified_domains(user), organisation)
            now = django_timezone.now()
            affiliation = Affiliation.objects.create(
                user=user,
                organisation=organisation,
                position=position.strip(),
                status=Affiliation.Status.VERIFIED if automatic else Affiliation.Status.PENDING,
                verified_automatically=automatic,
                decided_at=now if automatic else None,
            )
            audit.record(
                actor=actor,
                action=AccountAction.AFFILIATION_STATED,
                subject=affiliation,
                summary=f"{user.email} stated an affiliation to {organisation.name}"
                + (" (verified by e-mail domain)" if automatic else ""),
                changes={"status": ["", affiliation.status]},
            )
            if automatic:
                _after_verified(affiliation)
            else:
                for reader in queries.secretariat_users():
                    queue_templated_email(
                        to=reader.email,
                        template_prefix="accounts/email/affiliation_to_verify",
                        context={
                            "affiliation": affiliation,
                            "person": user,
                            "organisation": organisation,
                            "reader": reader,
                        },
                        language=language_of(reader),
                        kind="affiliation",
                        related=affiliation,
                    )
    except IntegrityError as error:
        raise AffiliationExists from error
    return affiliation


def verify_affiliations_by_domain(*, user: User) -> list[Affiliation]:
    """Verify the person's pending affiliations to organisations at one of whose e-mail
    domains (or a subdomain) they now have a verified address. Called when an address is
    confirmed.

    Side effects: the matching Affiliation rows become verified (``verified_automatically``);
    one audit entry "accounts.affiliation_verified" each; one e-mail to the person for each
    (outbox, in their language); the steps registered with ``register_after_verified``, after
    the commit.
    """
    domains = _verified_domains(user)
    if not domains:
        return []
    verified = []
    with transaction.atomic():
        pending = (
            Affiliation.objects.filter(user=user, status=Affiliation.Status.PENDING)
            .select_related("organisation", "user")
            .order_by("pk")
        )
        now = django_timezone.now()
        for affiliation in pending:
            if not _matches(domains, affiliation.organisation):
                continue
            updated = Affiliation.objects.filter(
                pk=affiliation.pk, status=Affiliation.Status.PENDING
            ).update(
                status=Affiliation.Status.VERIFIED,
                verified_automatically=True,
                decided_at=now,
                decided_by=None,
            )
            if not updated:
                continue
            affiliation.refresh_from_db()
            audit.record(
                actor=None,
                action=AccountAction.AFFILIATION_VERIFIED,
                subject=affiliation,
                summary=f"{user.email} at {affiliation.organisation.name}: verified by e-mail "
                "domain",
                changes={"status": [Affiliation.Status.PENDING, Affiliation.Status.VERIFIED]},
            )
            _mail_decision(affiliation)
            _after_verified(affiliation)
            verified.append(affiliation)
    return verified


def decide_affiliation(
    *, actor: User, affiliation: Affiliation, verified: bool, reason: str = ""
) -> Affiliation:
    """The secretariat verifies or rejects a pending affiliation.

    Raises AlreadyDecided when it is no longer pending (decided meanwhile, or a second
    submission of the same form), PermissionDenied for anyone but the secretariat.

    Side effects: the Affiliation row (status, decided_at, decided_by, reason); one audit entry
    "accounts.affiliation_verified" or "accounts.affiliation_rejected"; one e-mail to the
    person (outbox, in their language, with the reason when rejected); when verified, the
    steps registered with ``register_after_verified``, after the commit.
    """
    require_secretariat(actor)
    status = Affiliation.Status.VERIFIED if verified else Affiliation.Status.REJECTED
    action = AccountAction.AFFILIATION_VERIFIED if verified else AccountAction.AFFILIATION_REJECTED
    reason = reason.strip()
    with transaction.atomic():
        updated = Affiliation.objects.filter(
            pk=affiliation.pk, status=Affiliation.Status.PENDING
        ).update(
            status=status,
            decided_at=django_timezone.now(),
            decided_by=actor,
            verified_automatically=False,
            reason=reason,
        )
        if not updated:
            raise AlreadyDecided
        affiliation.refresh_from_db()
        audit.record(
            actor=actor,
            action=action,
            subject=affiliation,
            summary=f"{affiliation.user.email} at {affiliation.organisation.name}: {status}",
            changes={"status": [Affiliation.Status.PENDING, status]}
            | ({"reason": ["", reason]} if reason else {}),
        )
        _mail_decision(affiliation)
        if verified:
            _after_verified(affiliation)
    return affiliation
