"""Every change of state of a proposal: write, then audit, then e-mail, in one transaction.

Each function takes keyword arguments only, runs in one transaction, re-checks the actor's
permission and the call's deadline on the server, and records an audit entry with what changed.
E-mails go through the outbox, in the recipient's language, once the transaction commits.

By concern: ``drafts`` (create, save, submit, withdraw), ``co_submitters`` (invitations,
decisions, a contact invited by the secretariat), ``reminders`` (reminding, and asking late the
organisations that had no contact), ``near_duplicates`` (the pairs kept per call), ``merges``
(a directory merge), ``emails`` (what is sent), ``rules`` (what submitting needs, the
deadline), ``refusals`` (the errors) and ``fields`` (a proposal's fields, listed once: the
snapshot, the audit entry's changes and the write are derived from that list).
Everything public is imported here: ``from deepdive.proposals import operations`` is enough.
"""

from .co_submitters import decide_participation, invite_contact, verified_contacts
from .drafts import Saved, create_draft, save_proposal, withdraw
from .fields import ProposalData, SpeakerData
from .merges import move_to_merged_organisation
from .near_duplicates import NEAR_DUPLICATES_LOCK, fill_near_duplicates, refresh_near_duplicates
from .refusals import (
    DeadlinePassed,
    Incomplete,
    NotAllowed,
    NotWaiting,
    ProposalError,
    StaleVersion,
)
from .reminders import (
    REMINDER_AFTER,
    ask_late_co_submitters,
    ask_once_a_contact_is_verified,
    enqueue_reminders,
    send_participation_reminders,
)
from .rules import ARRIVAL_TRUSTED_FOR, description_problem, judged_at, submission_problems

__all__ = [
    "ARRIVAL_TRUSTED_FOR",
    "NEAR_DUPLICATES_LOCK",
    "REMINDER_AFTER",
    "DeadlinePassed",
    "Incomplete",
    "NotAllowed",
    "NotWaiting",
    "ProposalData",
    "ProposalError",
    "Saved",
    "SpeakerData",
    "StaleVersion",
    "ask_late_co_submitters",
    "ask_once_a_contact_is_verified",
    "create_draft",
    "decide_participation",
    "description_problem",
    "enqueue_reminders",
    "fill_near_duplicates",
    "invite_contact",
    "judged_at",
    "move_to_merged_organisation",
    "refresh_near_duplicates",
    "save_proposal",
    "send_participation_reminders",
    "submission_problems",
    "verified_contacts",
    "withdraw",
]
