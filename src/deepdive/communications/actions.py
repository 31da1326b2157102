"""What the audit trail records about communications: one named action per change."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class CommunicationsAction(AuditAction):
    BRANDING_SAVED = "communications.branding_saved", _("Series branding saved")
    CAMPAIGN_DRAFTED = "communications.campaign_drafted", _("Invitations drafted")
    CAMPAIGN_STARTED = "communications.campaign_started", _("Campaign sending started")
    CAMPAIGN_PAUSED = "communications.campaign_paused", _("Campaign paused")
    CAMPAIGN_RESUMED = "communications.campaign_resumed", _("Campaign resumed")
    CAMPAIGN_RETRIED = "communications.campaign_retried", _("Campaign's failed messages sent again")
    CAMPAIGN_DONE = "communications.campaign_done", _("Campaign's messages all released")
    NEWSLETTER_SAVED = "communications.newsletter_saved", _("Newsletter issue saved")
    NEWSLETTER_TESTED = "communications.newsletter_tested", _("Newsletter issue sent as a test")
    NEWSLETTER_SENT = (
        "communications.newsletter_sent",
        _("Newsletter issue sent for approval"),
    )
