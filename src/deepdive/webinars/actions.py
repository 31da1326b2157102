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
    REPEAT_ADDED = "webinars.repeat_added", _("Repeat session added")
    REPEAT_MOVED = "webinars.repeat_moved", _("Repeat session moved")
    REPEAT_REMOVED = "webinars.repeat_removed", _("Repeat session removed (not published)")
    REPEAT_CANCELLED = "webinars.repeat_cancelled", _("Repeat session cancelled")
    REPEAT_PUBLISHED = "webinars.repeat_published", _("Repeat session published")
    REPEAT_TIME_CHANGED = "webinars.repeat_time_changed", _("Repeat session's new time published")
    CAPACITY_CHANGED = "webinars.capacity_changed", _("Webinar's capacity changed")
    REGISTERED = "webinars.registered", _("Registered for a webinar")
    REGISTRATION_CANCELLED = "webinars.registration_cancelled", _("Registration cancelled")
    REGISTRATION_PENDING = (
        "webinars.registration_pending",
        _("Registration waiting for e-mail confirmation"),
    )
    JOINED_WAITING_LIST = "webinars.joined_waiting_list", _("Joined a webinar's waiting list")
    SEAT_OFFERED = "webinars.seat_offered", _("Seat offered to the first in line")
    OFFER_EXPIRED = "webinars.offer_expired", _("Seat offer expired")
    SESSION_CHANGED = "webinars.session_changed", _("Registration moved to the other session")
    UNCONFIRMED_FORGOTTEN = (
        "webinars.unconfirmed_forgotten",
        _("Unconfirmed public registrations deleted"),
    )
    ANSWERS_CHANGED = "webinars.registration_answers_changed", _("Registration answers changed")
    QUESTIONS_CHANGED = (
        "webinars.registration_questions_changed",
        _("Registration questions changed"),
    )
    HOST_REMINDED = "webinars.host_reminded", _("Hosts reminded of what is missing")
    HOST_REMINDED_BY_HAND = "webinars.host_reminded_by_hand", _("Hosts reminded by hand")
    WORKSPACE_SAVED = "webinars.workspace_saved", _("Workspace: description and languages saved")
    TECHNICAL_SAVED = "webinars.technical_saved", _("Workspace: technical set-up saved")
    AGENDA_SAVED = "webinars.agenda_saved", _("Workspace: agenda saved")
    SPEAKERS_SAVED = "webinars.speakers_saved", _("Workspace: speakers saved")
    MATERIAL_ADDED = "webinars.material_added", _("Workspace: material added")
    MATERIAL_REMOVED = "webinars.material_removed", _("Workspace: material removed")
    SUBMITTED = "webinars.submitted", _("Webinar submitted as ready")
    APPROVED = "webinars.approved", _("Webinar approved as ready")
    SENT_BACK = "webinars.sent_back", _("Webinar sent back to the hosts")
    CANCELLED = "webinars.cancelled", _("Webinar cancelled")
    HELD = "webinars.held", _("Webinar held")
    ATTENDANCE_IMPORTED = "webinars.attendance_imported", _("Attendance report imported")
    RECORDING_SAVED = "webinars.recording_saved", _("Recording's address saved")
    CAPTIONS_SAVED = "webinars.captions_saved", _("Recording's captions saved")
    RECORDING_PUBLISHED = "webinars.recording_published", _("Recording published")
    RECORDING_UNPUBLISHED = "webinars.recording_unpublished", _("Recording unpublished")
    FOLLOW_UP_DRAFTED = "webinars.follow_up_drafted", _("Follow-up e-mails drafted for approval")
    FEEDBACK_GIVEN = "webinars.feedback_given", _("Feedback on a webinar given or changed")
    OUTPUTS_SET = "webinars.outputs_set", _("Workplan Outputs of the webinar set")
