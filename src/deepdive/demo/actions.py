"""What the audit trail records about the demo: one named action."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class DemoAction(AuditAction):
    LOADED = "demo.load", _("Demo data loaded")
