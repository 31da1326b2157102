"""What the audit trail records about communications: one named action per change."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class CommunicationsAction(AuditAction):
    BRANDING_SAVED = "communications.branding_saved", _("Series branding saved")
