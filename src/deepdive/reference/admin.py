"""The secretariat edits the reference data here (staff with the model permissions)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import models

SOURCED = ("source", "as_of")


class CodedAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", *SOURCED)
    list_editable = ("order",)
    search_fields = ("code", "name", "source")
    list_filter = ("as_of",)


class OutcomeInline(admin.TabularInline):
    model = models.Outcome
    extra = 0
    fields = ("number", "title", *SOURCED)


class OutputInline(admin.StackedInline):
    model = models.Output
    extra = 0
    fields = ("number", "text", *SOURCED)


@admin.register(models.ActionGroup)
class ActionGroupAdmin(CodedAdmin):
    list_display = ("name", "code", "chairs", "order", *SOURCED)
    inlines = [OutcomeInline]


@admin.register(models.Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "action_group", "number", *SOURCED)
    list_filter = ("action_group",)
    list_select_related = ("action_group",)
    search_fields = ("title", "source")
    inlines = [OutputInline]


@admin.register(models.Output)
class OutputAdmin(admin.ModelAdmin):
    list_display = ("__str__", "short_text", "outcome", *SOURCED)
    list_filter = ("outcome__action_group", "outcome")
    list_select_related = ("outcome", "outcome__action_group")
    search_fields = ("text", "source")

    @admin.display(description=_("text"))
    def short_text(self, obj: models.Output) -> str:
        return obj.text if len(obj.text) <= 120 else obj.text[:119] + "…"


@admin.register(models.Criterion)
class CriterionAdmin(CodedAdmin):
    search_fields = ("code", "name", "description", "source")


@admin.register(models.Theme)
class ThemeAdmin(CodedAdmin):
    pass


@admin.register(models.Sector)
class SectorAdmin(CodedAdmin):
    list_display = ("name", "code", "is_key_sector", "order", *SOURCED)
    list_filter = ("is_key_sector", "as_of")


@admin.register(models.PartnerType)
class PartnerTypeAdmin(CodedAdmin):
    list_display = ("name", "code", "is_social_partner", "order", *SOURCED)
    list_filter = ("is_social_partner", "as_of")


@admin.register(models.Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "ilo_region",
        "m49_region",
        "m49_subregion",
        "timezone",
        *SOURCED,
    )
    list_filter = ("ilo_region", "m49_region", "m49_subregion")
    search_fields = ("code", "name")
    ordering = ("name",)

    def get_readonly_fields(self, request, obj=None):
        # The ISO code is the primary key that other rows point to: set it once.
        return ("code",) if obj is not None else ()


@admin.register(models.PathfinderCountry)
class PathfinderCountryAdmin(admin.ModelAdmin):
    list_display = ("country", "country_code", "ilo_region", "since", *SOURCED)
    list_filter = ("country__ilo_region", "as_of", "since")
    list_select_related = ("country",)
    search_fields = ("country__code", "country__name", "source")
    autocomplete_fields = ("country",)

    @admin.display(description=_("ISO 3166 code"), ordering="country__code")
    def country_code(self, obj: models.PathfinderCountry) -> str:
        return obj.country_id

    @admin.display(description=_("ILO region"), ordering="country__ilo_region")
    def ilo_region(self, obj: models.PathfinderCountry) -> str:
        return obj.country.get_ilo_region_display()
