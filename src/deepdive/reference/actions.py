"""What the audit trail records about the reference data: one named action per change."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class ReferenceAction(AuditAction):
    LOADED = "reference.load", _("Reference data loaded")
