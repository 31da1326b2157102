"""What the audit trail records about proposals: one named action per change of state."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class ProposalAction(AuditAction):
    CREATED = "proposals.create", _("Draft proposal created")
    SAVED = "proposals.save", _("Draft proposal saved")
    SUBMITTED = "proposals.submit", _("Proposal submitted")
    RESUBMITTED = "proposals.resubmit", _("Proposal resubmitted")
    WITHDRAWN = "proposals.withdraw", _("Proposal withdrawn")
    PARTICIPATION = "proposals.participation", _("Co-submitter's participation decided")
    CONTACT_INVITED = "proposals.contact_invited", _("Contact invited for a co-submitter")
    REMINDERS = "proposals.reminders", _("Participation reminders sent")
    LATE_INVITATIONS = (
        "proposals.late_invitations",
        _("Co-submitters asked once they had a contact"),
    )
