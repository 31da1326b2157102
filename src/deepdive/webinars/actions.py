"""What the audit trail records about webinars and registrations: one named action per change
of state. The webinar's times and timetable facts keep the codes they had when ``timetable``
wrote them ("timetable.…"): the entries already stored use them."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class WebinarAction(AuditAction):
    CREATED = "webinars.created", _("Webinar created")
    AVAILABILITY_UPDATED = "webinars.availability_updated", _("Host's availability updated")
    UPDATED = "timetable.webinar_updated", _("Webinar's timetable facts saved")
    PLANNED = "webinars.planned", _("Planned times set by a timetable run")
    MOVED = "timetable.moved", _("Webinar moved by hand")
    PUBLISHED = "timetable.published", _("Webinar published")
    TIME_CHANGED = "timetable.time_changed", _("Webinar's new time published")
    REGISTERED = "webinars.registered", _("Registered for a webinar")
    REGISTRATION_CANCELLED = "webinars.registration_cancelled", _("Registration cancelled")
