"""The directory's search and filters: every value in the URL, so a search can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deepdive.core.widgets import Checklist
from deepdive.reference.models import ActionGroup, Country, PartnerType, Sector, Theme
from deepdive.reference.regions import IloRegion

from ..models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    """Search text (``q``) and filters; values of one filter are alternatives (OR), different
    filters all apply (AND)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Name, acronym, description or country."),
    )
    type = django_filters.ModelMultipleChoiceFilter(
        label=_("Partner type"),
        field_name="partner_type__code",
        to_field_name="code",
        queryset=PartnerType.objects.all(),
        widget=Checklist,
    )
    country = django_filters.ModelMultipleChoiceFilter(
        label=_("Country"),
        field_name="countries__code",
        to_field_name="code",
        queryset=Country.objects.all(),
        widget=Checklist,
    )
    region = django_filters.MultipleChoiceFilter(
        label=_("ILO region"),
        field_name="countries__ilo_region",
        choices=IloRegion.choices,
        widget=Checklist,
        distinct=True,
    )
    action_group = django_filters.ModelMultipleChoiceFilter(
        label=_("Action Group"),
        field_name="action_groups__code",
        to_field_name="code",
        queryset=ActionGroup.objects.all(),
        widget=Checklist,
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"),
        field_name="themes__code",
        to_field_name="code",
        queryset=Theme.objects.all(),
        widget=Checklist,
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sector"),
        field_name="sectors__code",
        to_field_name="code",
        queryset=Sector.objects.all(),
        widget=Checklist,
    )

    class Meta:
        model = Organisation
        fields = ["q", "type", "country", "region", "action_group", "theme", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Countries listed by their name in the reader's language.
        countries = sorted(Country.objects.all(), key=lambda c: str(c).casefold())
        self.form.fields["country"].widget.choices = [(c.code, str(c)) for c in countries]

    def search(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        countries = list(Country.objects.all())
        for word in words:
            folded = word.casefold()
            codes = [c.code for c in countries if folded in str(c).casefold()]
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(acronym__icontains=word)
                | Q(description__icontains=word)
                | Q(countries__name__icontains=word)
                | Q(countries__code__in=codes)
            )
        return queryset.distinct()

    @property
    def is_filtered(self) -> bool:
        """Whether any search or filter is set (for the "clear filters" link)."""
        return self.is_bound and any(
            self.data.get(name) or self.data.getlist(name) for name in self.filters
        )
