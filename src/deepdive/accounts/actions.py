"""What the audit trail records about people: one named action per change of state."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class AccountAction(AuditAction):
    PREFERENCES = "accounts.preferences", _("Preferences changed")
    AFFILIATION_STATED = "accounts.affiliation_stated", _("Affiliation stated")
    AFFILIATION_VERIFIED = "accounts.affiliation_verified", _("Affiliation verified")
    AFFILIATION_REJECTED = "accounts.affiliation_rejected", _("Affiliation rejected")
