"""The review's rows in the admin, read-mostly: they are changed on the secretariat's pages
(through ``operations``, which keep the audit trail), so the admin only shows them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from deepdive.core.templatetags.deepdive import when

from .models import Assignment, AssignmentRun, DeclaredConflict, Review, Reviewer, ReviewRound


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every field shown, nothing added, changed or deleted here."""

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in self.model._meta.fields]
        names += [f.name for f in self.model._meta.many_to_many]
        return names + list(self.readonly_fields)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ["call", "reviewers_per_proposal", "default_max_load", "opens", "closes"]
    list_select_related = ["call"]

    @admin.display(description=_("review opens"))
    def opens(self, obj: ReviewRound) -> str:
        return when(obj.opens_at, obj.timezone)

    @admin.display(description=_("review closes"))
    def closes(self, obj: ReviewRound) -> str:
        return when(obj.closes_at, obj.timezone)


@admin.register(Reviewer)
class ReviewerAdmin(ReadOnlyAdmin):
    list_display = ["email", "user", "call", "status", "min_load", "max_load", "invited_at"]
    list_filter = ["status", "call"]
    list_select_related = ["user", "call"]
    search_fields = ["email", "user__name", "user__email"]


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "proposal", "declared_by", "declared_at", "lifted_at"]
    list_select_related = ["reviewer", "proposal", "declared_by"]
    search_fields = ["reviewer__email", "proposal__title"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdmin):
    list_display = ["call", "objective", "status", "solver_status", "created_at", "saved_at"]
    list_filter = ["status"]
    list_select_related = ["call"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "proposal", "status", "affinity", "assigned_at"]
    list_filter = ["status"]
    list_select_related = ["reviewer", "proposal"]
    search_fields = ["reviewer__email", "proposal__title"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "proposal", "status", "version", "recommendation", "submitted_at"]
    list_filter = ["status", "recommendation"]
    list_select_related = ["reviewer", "proposal"]
    search_fields = ["reviewer__email", "proposal__title"]
