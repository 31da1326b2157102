"""The audit actions of the selection: the rules and runs, the decision, the hosts' answers,
the reminders and promotion from the waitlist."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class SelectionAction(AuditAction):
    RULES_UPDATED = "selection.rules_updated", _("Selection rules saved")
    RUN = "selection.run", _("Selection run made")
    CONFIRMED = "selection.confirmed", _("Run confirmed as the decision")
    HOSTING_CONFIRMED = "selection.hosting_confirmed", _("Hosting confirmed")
    HOSTING_DECLINED = "selection.hosting_declined", _("Hosting declined")
    HOSTING_REMINDED = "selection.hosting_reminded", _("Host reminded")
    PROMOTED = "selection.promoted", _("Promotion from the waitlist")
