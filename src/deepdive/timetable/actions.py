"""What the audit trail records about the timetable: one named action per change of state.
The webinars' times are written, and recorded, by ``webinars`` (``webinars.actions``)."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class TimetableAction(AuditAction):
    RULES_SAVED = "timetable.rules_saved", _("Timetable rules saved")
    RUN = "timetable.run", _("Timetable optimiser run")
