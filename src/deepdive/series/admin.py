from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from deepdive.core.templatetags.deepdive import when

from . import operations
from .forms import CallAdminForm, SeriesAdminForm
from .models import Call, Series


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions through the series' operations (audit entries)."""

    save_operation: staticmethod
    delete_operation: staticmethod

    def save_model(self, request, obj, form, change):
        self.save_operation(
            actor=request.user,
            **{self.model._meta.model_name: obj},
            changed=list(form.changed_data),
        )

    def delete_model(self, request, obj):
        self.delete_operation(actor=request.user, **{self.model._meta.model_name: obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class CallInline(admin.TabularInline):
    """The calls of a series, listed; they are edited on their own page (time zones)."""

    model = Call
    fields = ["title", "timezone", "opens", "closes", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("opens"))
    def opens(self, call: Call) -> str:
        return when(call.opens_at, call.timezone)

    @admin.display(description=_("closes"))
    def closes(self, call: Call) -> str:
        return when(call.closes_at, call.timezone)

    @admin.display(description=_("status"))
    def status(self, call: Call) -> str:
        return call.get_status_display()


@admin.register(Series)
class SeriesAdmin(AuditedAdmin):
    form = SeriesAdminForm
    save_operation = staticmethod(operations.save_series)
    delete_operation = staticmethod(operations.delete_series)
    list_display = ["title", "action_group", "slug", "created_at"]
    list_filter = ["action_group"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CallInline]


@admin.register(Call)
class CallAdmin(AuditedAdmin):
    form = CallAdminForm
    save_operation = staticmethod(operations.save_call)
    delete_operation = staticmethod(operations.delete_call)
    list_display = ["title", "series", "opens", "closes", "status"]
    list_filter = ["series"]
    search_fields = ["title", "slug", "series__title"]
    list_select_related = ["series"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["series", "title", "slug", "description"]}),
        (
            _("Dates"),
            {
                "fields": ["timezone", "opens_local", "closes_local"],
                "description": _(
                    "Give the opening and closing as the clock shows them in the "
                    "call's time zone; they are stored as instants."
                ),
            },
        ),
        (_("Proposals"), {"fields": ["word_limit", "seats"]}),
    ]

    @admin.display(description=_("opens"), ordering="opens_at")
    def opens(self, call: Call) -> str:
        return when(call.opens_at, call.timezone)

    @admin.display(description=_("closes"), ordering="closes_at")
    def closes(self, call: Call) -> str:
        return when(call.closes_at, call.timezone)

    @admin.display(description=_("status"))
    def status(self, call: Call) -> str:
        return call.get_status_display()
