from django.contrib import admin

from .models import OutboxMessage, Suppression


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read only: messages are written by the outbox's operations, retried from its page."""

    list_display = [
        "created_at",
        "to_email",
        "language",
        "subject",
        "kind",
        "batch",
        "status",
        "attempts",
    ]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to_email", "subject", "batch"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Read only: recipients change these from their e-mails' links, bounces from delivery
    and the e-mail service's webhooks."""

    list_display = ["address", "scope", "action_group", "reason", "created_at"]
    list_filter = ["scope", "reason", "action_group"]
    search_fields = ["address"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
