"""The audit actions of the review: the pool, the assignment and the reviews themselves.

The code is what an audit entry stores; the label is what a reader sees, in their language.
"""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class ReviewsAction(AuditAction):
    # The round and the pool
    ROUND_CREATED = "reviews.round_created", _("Review round created")
    ROUND_UPDATED = "reviews.round_updated", _("Review settings changed")
    REVIEWER_ADDED = "reviews.reviewer_added", _("Reviewer added to the pool")
    INVITATION_ACCEPTED = "reviews.invitation_accepted", _("Reviewer invitation accepted")
    INVITATION_DECLINED = "reviews.invitation_declined", _("Reviewer invitation declined")
    EXPERTISE_UPDATED = "reviews.expertise_updated", _("Reviewer expertise changed")
    LOADS_UPDATED = "reviews.loads_updated", _("Reviewer loads changed")
    REVIEWER_REMOVED = "reviews.reviewer_removed", _("Reviewer removed from the pool")
    CONFLICT_DECLARED = "reviews.conflict_declared", _("Conflict of interest declared")
    CONFLICT_LIFTED = "reviews.conflict_lifted", _("Conflict of interest lifted")
    # The assignment
    ASSIGNMENT_PROPOSED = "reviews.assignment.propose", _("Reviewer assignment proposed")
    ASSIGNMENT_CHANGED = "reviews.assignment.change", _("Reviewers changed by hand")
    ASSIGNMENT_SAVED = "reviews.assignment.save", _("Reviewer assignment saved")
    REMINDERS_SENT = "reviews.reminders", _("Review reminders sent")
    # The reviews
    DRAFT_SAVED = "reviews.save", _("Review draft saved")
    SUBMITTED = "reviews.submit", _("Review submitted")
    RESUBMITTED = "reviews.resubmit", _("Submitted review edited")
