"""Consent: who must not receive which e-mail, and how a recipient says so.

A message's ``category`` says what it is: empty for a transactional message (verification,
decisions, registrations), always sent; "invitation" or "newsletter" for the others, which are
never sent to an address suppressed for that category or for "all" (``is_suppressed``): refused
when queued and checked again just before the mail server (``tasks.deliver_message``).

Each non-transactional message carries ``List-Unsubscribe`` and ``List-Unsubscribe-Post``
(RFC 8058: one POST to the link unsubscribes, no page needed) and its templates get
``unsubscribe_url`` and ``preferences_url``. Both links hold a signed token of the address and
the category (``make_token``), so they work without an account or a login, and never expire.

A permanent refusal of the mail server (5xx on RCPT or DATA, ``attempts.permanent_refusal``)
marks the address bounced for all e-mail (``mark_bounced``). Webhooks of an e-mail service
(bounces and complaints reported later, e.g. through django-anymail) are not handled yet.
"""

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from deepdive.core import audit

from .actions import OutboxAction
from .models import OutboxMessage, Suppression

NON_TRANSACTIONAL = (OutboxMessage.Category.INVITATION, OutboxMessage.Category.NEWSLETTER)
TOKEN_SALT = "deepdive.outbox.unsubscribe"


def normalise(address: str) -> str:
    """The address as suppressions store it: trimmed, lower-case."""
    return address.strip().lower()


def check_category(category: str) -> None:
    """Raise ValueError for a category the outbox does not know (a caller's mistake)."""
    if category not in OutboxMessage.Category.values:
        raise ValueError(f"Unknown e-mail category {category!r}")


def is_suppressed(address: str, category: str) -> bool:
    """Whether a message of ``category`` must not go to ``address``: never for a
    transactional message (empty category); otherwise when the address is suppressed for the
    category or for all e-mail."""
    return bool(why_suppressed(address, category))


def why_suppressed(address: str, category: str) -> str:
    """Why a message of ``category`` must not go to ``address``, in English for the outbox's
    record (e.g. "Not sent: the address unsubscribed (invitation)"); empty when it may."""
    if not category:
        return ""
    row = (
        Suppression.objects.filter(
            address=normalise(address), scope__in=[category, Suppression.Scope.ALL]
        )
        .order_by("created_at")
        .first()
    )
    return f"Not sent: the address {row.reason} ({row.scope})" if row else ""


def has_bounced(address: str) -> bool:
    """Whether the mail server refused ``address`` for good (or it complained): no choice
    on the preferences page lifts that."""
    return Suppression.objects.filter(
        address=normalise(address),
        reason__in=[Suppression.Reason.BOUNCED, Suppression.Reason.COMPLAINED],
    ).exists()


def suppressions_of(addresses: list[str]) -> dict[str, list[Suppression]]:
    """The suppressions of each of ``addresses`` (lower-case keys), for the directory."""
    found: dict[str, list[Suppression]] = {}
    for row in Suppression.objects.filter(address__in={normalise(a) for a in addresses}):
        found.setdefault(row.address, []).append(row)
    return found


# Links -----------------------------------------------------------------------------------------


def make_token(address: str, category: str) -> str:
    """A signed token of (address, category) for the unsubscribe and preferences links: its
    own salt, so no other signed value of the platform can be used as one."""
    return signing.dumps([normalise(address), category], salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> tuple[str, str]:
    """(address, category) from a token; raises ``signing.BadSignature`` when it was not
    made by ``make_token``."""
    value = signing.loads(token, salt=TOKEN_SALT)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, str) for v in value)
        or value[1] not in NON_TRANSACTIONAL
    ):
        raise signing.BadSignature("Not an unsubscribe token")
    return value[0], value[1]


def unsubscribe_url(address: str, category: str) -> str:
    return settings.SITE_URL + reverse(
        "outbox:unsubscribe", kwargs={"token": make_token(address, category)}
    )


def preferences_url(address: str, category: str) -> str:
    return settings.SITE_URL + reverse(
        "outbox:preferences", kwargs={"token": make_token(address, category)}
    )


def links(address: str, category: str) -> dict[str, str]:
    """``unsubscribe_url`` and ``preferences_url`` for a template's context (empty for a
    transactional message)."""
    if not category:
        return {}
    return {
        "unsubscribe_url": unsubscribe_url(address, category),
        "preferences_url": preferences_url(address, category),
    }


def headers(address: str, category: str) -> dict[str, str]:
    """The RFC 8058 headers of a non-transactional message (none for a transactional one)."""
    if not category:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(address, category)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# Changes ---------------------------------------------------------------------------------------


def _suppress(*, address: str, scope: str, reason: str) -> bool:
    """Add one suppression unless it exists; True when added. Two simultaneous requests (a
    mail client's one-click POST and the person's click) add it once."""
    try:
        with transaction.atomic():
            Suppression.objects.create(address=normalise(address), scope=scope, reason=reason)
    except IntegrityError:
        return False
    return True


def unsubscribe(*, address: str, scope: str) -> bool:
    """The recipient asks for no more e-mail of ``scope`` ("invitation", "newsletter" or
    "all"), by the link of a message (no login: the signed token is the proof).

    Idempotent: returns False, doing nothing, when already unsubscribed. Side effects: one
    Suppression (reason unsubscribed); audit entry "outbox.unsubscribe".
    """
    with transaction.atomic():
        added = _suppress(address=address, scope=scope, reason=Suppression.Reason.UNSUBSCRIBED)
        if added:
            audit.record(
                actor=None,
                action=OutboxAction.UNSUBSCRIBED,
                summary=f"{normalise(address)} unsubscribed from {scope}",
                changes={"address": normalise(address), "scope": scope},
            )
    return added


def preferences(address: str) -> dict[str, bool]:
    """What ``address`` still receives: {"invitation": bool, "newsletter": bool,
    "all": bool} (True = receives)."""
    scopes = set(
        Suppression.objects.filter(address=normalise(address)).values_list("scope", flat=True)
    )
    return {scope: scope not in scopes for scope in Suppression.Scope.values}


def set_preferences(*, address: str, invitation: bool, newsletter: bool, all_mail: bool) -> bool:
    """Save what the recipient wants to receive (True = receives), from the preferences page.

    ``all_mail`` False stops every non-transactional message; what they register for
    (transactional) still comes. Only the recipient's own choices (reason unsubscribed) are
    lifted: a bounced or complained address stays suppressed. Returns whether anything
    changed. Side effects: Suppression rows added or removed; one audit entry
    "outbox.preferences" when anything changed.
    """
    address = normalise(address)
    wanted = {
        Suppression.Scope.INVITATION: invitation,
        Suppression.Scope.NEWSLETTER: newsletter,
        Suppression.Scope.ALL: all_mail,
    }
    changed: dict[str, list[bool]] = {}
    with transaction.atomic():
        for scope, receives in wanted.items():
            if receives:
                removed, _ = Suppression.objects.filter(
                    address=address, scope=scope, reason=Suppression.Reason.UNSUBSCRIBED
                ).delete()
                if removed:
                    changed[scope] = [False, True]
            elif _suppress(address=address, scope=scope, reason=Suppression.Reason.UNSUBSCRIBED):
                changed[scope] = [True, False]
        if changed:
            audit.record(
                actor=None,
                action=OutboxAction.PREFERENCES,
                summary=f"{address} changed what they receive",
                changes={"address": address, "receives": changed},
            )
    return bool(changed)


def mark_bounced(*, address: str, error: str) -> bool:
    """The mail server refused ``address`` for good: no more non-transactional e-mail to it.

    Idempotent: False when already marked. Side effects: one Suppression (scope all, reason
    bounced); audit entry "outbox.bounce" with the server's answer.
    """
    with transaction.atomic():
        added = _suppress(
            address=address, scope=Suppression.Scope.ALL, reason=Suppression.Reason.BOUNCED
        )
        if added:
            audit.record(
                actor=None,
                action=OutboxAction.BOUNCED,
                summary=f"{normalise(address)} bounced",
                changes={"address": normalise(address), "error": error[:500]},
            )
    return added
