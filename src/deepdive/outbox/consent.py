"""Consent: who must not receive which e-mail, and how a recipient says so.

A message's ``category`` says what it is: empty for a transactional message (verification,
decisions, registrations), always sent; "invitation" or "newsletter" for the others. A
non-transactional message may also carry the Action Group it is sent for (``action_group``,
the code of a campaign's series' group). It is never sent to an address suppressed for (its
category or "all") and (its Action Group or every group) (``is_suppressed``): refused when
queued and checked again just before the mail server (``tasks.deliver_message``).

Each non-transactional message carries ``List-Unsubscribe`` and ``List-Unsubscribe-Post``
(RFC 8058: one POST to the link unsubscribes, no page needed) and its templates get
``unsubscribe_url`` and ``preferences_url``. Both links hold a signed token of the address,
the category and, for an invitation, its Action Group (``make_token``), so they work without
an account or a login, and never expire. One click on an invitation of the Supply Chains
Action Group stops that group's invitations only; the preferences page widens or narrows it.
Newsletters are the Alliance's, not one group's: their link stops newsletters from every
group. A token made before Action Groups (address and category only) still unsubscribes from
that category everywhere.

A permanent refusal of the mail server (5xx on RCPT or DATA, ``attempts.permanent_refusal``)
marks the address bounced for all e-mail (``mark_bounced``). With an e-mail service behind
``DEEPDIVE_EMAIL_URL``, its webhooks (django-anymail, ``webhooks``) report bounces
(``mark_bounced``), complaints (``mark_complained``) and unsubscriptions from its own link
(``unsubscribe``, scope all) later.
"""

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from deepdive.core import audit
from deepdive.reference.models import ActionGroup

from .actions import OutboxAction
from .models import OutboxMessage, Suppression

NON_TRANSACTIONAL = (OutboxMessage.Category.INVITATION, OutboxMessage.Category.NEWSLETTER)
TOKEN_SALT = "deepdive.outbox.unsubscribe"
EVERY_GROUP = ""  # Suppression.action_group of a suppression from every Action Group


def normalise(address: str) -> str:
    """The address as suppressions store it: trimmed, lower-case."""
    return address.strip().lower()


def check_category(category: str) -> None:
    """Raise ValueError for a category the outbox does not know (a caller's mistake)."""
    if category not in OutboxMessage.Category.values:
        raise ValueError(f"Unknown e-mail category {category!r}")


def is_suppressed(address: str, category: str, action_group: str = EVERY_GROUP) -> bool:
    """Whether a message of ``category`` sent for ``action_group`` (a code; empty: none) must
    not go to ``address``: never for a transactional message (empty category); otherwise
    when the address is suppressed for (the category or all e-mail) and (the group or every
    group)."""
    return bool(why_suppressed(address, category, action_group))


def why_suppressed(address: str, category: str, action_group: str = EVERY_GROUP) -> str:
    """Why a message of ``category`` for ``action_group`` must not go to ``address``, in
    English for the outbox's record (e.g. "Not sent: the address unsubscribed (invitation)");
    empty when it may."""
    if not category:
        return ""
    row = (
        Suppression.objects.filter(
            address=normalise(address),
            scope__in=[category, Suppression.Scope.ALL],
            action_group__in={EVERY_GROUP, action_group},
        )
        .order_by("created_at", "pk")
        .first()
    )
    if row is None:
        return ""
    group = f" from {row.action_group}" if row.action_group else ""
    return f"Not sent: the address {row.reason} ({row.scope}{group})"


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


def group_names(codes: set[str]) -> dict[str, str]:
    """The Action Groups' names (in the reader's language) by code; a code no longer known
    keeps its code as its name."""
    names = {g.code: str(g) for g in ActionGroup.objects.filter(code__in=codes)}
    return {code: names.get(code, code) for code in codes if code}


# Links -----------------------------------------------------------------------------------------


def link_group(category: str, action_group: str) -> str:
    """The Action Group a message's links unsubscribe from: an invitation's own group; for a
    newsletter (the Alliance's, not one group's) every group."""
    return action_group if category == OutboxMessage.Category.INVITATION else EVERY_GROUP


def make_token(address: str, category: str, action_group: str = EVERY_GROUP) -> str:
    """A signed token of (address, category[, Action Group]) for the unsubscribe and
    preferences links: its own salt, so no other signed value of the platform can be used as
    one. Without a group it is the same token as before groups existed."""
    value = [normalise(address), category] + ([action_group] if action_group else [])
    return signing.dumps(value, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> tuple[str, str, str]:
    """(address, category, Action Group code or "") from a token; raises
    ``signing.BadSignature`` when it was not made by ``make_token``. A token of two values
    (made before groups) means every group."""
    value = signing.loads(token, salt=TOKEN_SALT)
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(isinstance(v, str) for v in value)
        or value[1] not in NON_TRANSACTIONAL
    ):
        raise signing.BadSignature("Not an unsubscribe token")
    return value[0], value[1], value[2] if len(value) == 3 else EVERY_GROUP


def unsubscribe_url(address: str, category: str, action_group: str = EVERY_GROUP) -> str:
    token = make_token(address, category, link_group(category, action_group))
    return settings.SITE_URL + reverse("outbox:unsubscribe", kwargs={"token": token})


def preferences_url(address: str, category: str, action_group: str = EVERY_GROUP) -> str:
    token = make_token(address, category, link_group(category, action_group))
    return settings.SITE_URL + reverse("outbox:preferences", kwargs={"token": token})


def links(address: str, category: str, action_group: str = EVERY_GROUP) -> dict[str, str]:
    """``unsubscribe_url`` and ``preferences_url`` for a template's context (empty for a
    transactional message)."""
    if not category:
        return {}
    return {
        "unsubscribe_url": unsubscribe_url(address, category, action_group),
        "preferences_url": preferences_url(address, category, action_group),
    }


def headers(address: str, category: str, action_group: str = EVERY_GROUP) -> dict[str, str]:
    """The RFC 8058 headers of a non-transactional message (none for a transactional one)."""
    if not category:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(address, category, action_group)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# Changes ---------------------------------------------------------------------------------------


def _suppress(*, address: str, scope: str, reason: str, action_group: str = EVERY_GROUP) -> bool:
    """Add one suppression unless it exists; True when added. Two simultaneous requests (a
    mail client's one-click POST and the person's click) add it once."""
    try:
        with transaction.atomic():
            Suppression.objects.create(
                address=normalise(address), scope=scope, reason=reason, action_group=action_group
            )
    except IntegrityError:
        return False
    return True


def unsubscribe(*, address: str, scope: str, action_group: str = EVERY_GROUP) -> bool:
    """The recipient asks for no more e-mail of ``scope`` ("invitation", "newsletter" or
    "all") from ``action_group`` (a code; empty: every group), by the link of a message (no
    login: the signed token is the proof) or the e-mail service's own link (``webhooks``).

    Idempotent: returns False, doing nothing, when already unsubscribed. Side effects: one
    Suppression (reason unsubscribed); audit entry "outbox.unsubscribe".
    """
    address = normalise(address)
    with transaction.atomic():
        added = _suppress(
            address=address,
            scope=scope,
            reason=Suppression.Reason.UNSUBSCRIBED,
            action_group=action_group,
        )
        if added:
            group = f" of {action_group}" if action_group else ""
            audit.record(
                actor=None,
                action=OutboxAction.UNSUBSCRIBED,
                summary=f"{address} unsubscribed from {scope}{group}",
                changes={"address": address, "scope": scope, "action_group": action_group},
            )
    return added


def preferences(address: str) -> dict[str, bool]:
    """What ``address`` still receives from every group: {"invitation": bool, "newsletter":
    bool, "all": bool} (True = receives)."""
    scopes = set(
        Suppression.objects.filter(
            address=normalise(address), action_group=EVERY_GROUP
        ).values_list("scope", flat=True)
    )
    return {scope: scope not in scopes for scope in Suppression.Scope.values}


def group_preferences(address: str) -> list[tuple[str, str, bool]]:
    """(code, name, receives) of the Action Groups ``address`` was ever sent an invitation
    for or stopped invitations from, by name: whether it receives that group's invitations
    (as far as the group's own choice goes; "invitations" and "all" apply on top)."""
    address = normalise(address)
    written = OutboxMessage.objects.filter(
        to_email__iexact=address, category=OutboxMessage.Category.INVITATION
    ).exclude(action_group=EVERY_GROUP)
    stopped = set(
        Suppression.objects.filter(address=address, scope=Suppression.Scope.INVITATION)
        .exclude(action_group=EVERY_GROUP)
        .values_list("action_group", flat=True)
    )
    codes = set(written.values_list("action_group", flat=True).distinct()) | stopped
    names = group_names(codes)
    return sorted(((code, names[code], code not in stopped) for code in codes), key=lambda g: g[1])


def set_preferences(
    *,
    address: str,
    invitation: bool,
    newsletter: bool,
    all_mail: bool,
    groups: dict[str, bool] | None = None,
) -> bool:
    """Save what the recipient wants to receive (True = receives), from the preferences page.

    ``all_mail`` False stops every non-transactional message; what they register for
    (transactional) still comes. ``groups`` maps an Action Group's code to whether its
    invitations come (the groups ``group_preferences`` lists; a group left out is left as
    it is). Only the recipient's own choices (reason unsubscribed) are lifted: a bounced or
    complained address stays suppressed. Returns whether anything changed. Raises
    ValueError for an unknown group (a caller's mistake). Side effects: Suppression rows
    added or removed; one audit entry "outbox.preferences" when anything changed.
    """
    address = normalise(address)
    groups = groups or {}
    unknown = set(groups) - set(
        ActionGroup.objects.filter(code__in=groups).values_list("code", flat=True)
    )
    if unknown or EVERY_GROUP in groups:
        raise ValueError(f"Unknown Action Group {sorted(unknown)!r}")
    wanted: dict[tuple[str, str], bool] = {
        (Suppression.Scope.INVITATION, EVERY_GROUP): invitation,
        (Suppression.Scope.NEWSLETTER, EVERY_GROUP): newsletter,
        (Suppression.Scope.ALL, EVERY_GROUP): all_mail,
    }
    wanted.update({(Suppression.Scope.INVITATION, code): on for code, on in groups.items()})
    changed: dict[str, list[bool]] = {}
    with transaction.atomic():
        for (scope, group), receives in wanted.items():
            key = f"{scope} of {group}" if group else str(scope)
            if receives:
                removed, _ = Suppression.objects.filter(
                    address=address,
                    scope=scope,
                    action_group=group,
                    reason=Suppression.Reason.UNSUBSCRIBED,
                ).delete()
                if removed:
                    changed[key] = [False, True]
            elif _suppress(
                address=address,
                scope=scope,
                reason=Suppression.Reason.UNSUBSCRIBED,
                action_group=group,
            ):
                changed[key] = [True, False]
        if changed:
            audit.record(
                actor=None,
                action=OutboxAction.PREFERENCES,
                summary=f"{address} changed what they receive",
                changes={"address": address, "receives": changed},
            )
    return bool(changed)


def _mark(*, address: str, reason: str) -> bool:
    """Suppress all e-mail to ``address`` for ``reason`` (bounced, complained); a choice of
    the person to receive nothing (unsubscribed from all) becomes the stronger reason, which
    the preferences page cannot lift. True when added or changed."""
    if _suppress(address=address, scope=Suppression.Scope.ALL, reason=reason):
        return True
    return bool(
        Suppression.objects.filter(
            address=normalise(address),
            scope=Suppression.Scope.ALL,
            action_group=EVERY_GROUP,
            reason=Suppression.Reason.UNSUBSCRIBED,
        ).update(reason=reason)
    )


def mark_bounced(*, address: str, error: str) -> bool:
    """The mail server (or the e-mail service's webhook) refused ``address`` for good: no
    more non-transactional e-mail to it.

    Idempotent: False when already marked. Side effects: one Suppression (scope all, reason
    bounced); audit entry "outbox.bounce" with the server's answer.
    """
    with transaction.atomic():
        added = _mark(address=address, reason=Suppression.Reason.BOUNCED)
        if added:
            audit.record(
                actor=None,
                action=OutboxAction.BOUNCED,
                summary=f"{normalise(address)} bounced",
                changes={"address": normalise(address), "error": error[:500]},
            )
    return added


def mark_complained(*, address: str, detail: str = "") -> bool:
    """The recipient reported a message as spam (the e-mail service's webhook): no more
    non-transactional e-mail to it, and the preferences page does not lift that.

    Idempotent: False when already marked. Side effects: one Suppression (scope all, reason
    complained); audit entry "outbox.complaint" with what the service said.
    """
    with transaction.atomic():
        added = _mark(address=address, reason=Suppression.Reason.COMPLAINED)
        if added:
            audit.record(
                actor=None,
                action=OutboxAction.COMPLAINED,
                summary=f"{normalise(address)} complained",
                changes={"address": normalise(address), "detail": detail[:500]},
            )
    return added
