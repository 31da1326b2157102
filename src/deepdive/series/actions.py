"""What the audit trail records about series and calls: one named action per change."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class SeriesAction(AuditAction):
    SERIES_CREATED = "series.create", _("Series created")
    SERIES_UPDATED = "series.update", _("Series changed")
    SERIES_DELETED = "series.delete", _("Series deleted")
    CALL_CREATED = "call.create", _("Call created")
    CALL_UPDATED = "call.update", _("Call changed")
    CALL_DELETED = "call.delete", _("Call deleted")
