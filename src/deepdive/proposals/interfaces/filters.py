"""The secretariat's table of a call's proposals: search, filters and sort, every value in the
URL so that a view of the table can be shared.

Values of one filter are alternatives (OR), different filters all apply (AND). Filters on
related rows select proposal ids in a subquery, so no proposal is listed twice and the
table's annotations are never multiplied by a join.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from deepdive.reference.models import Outcome, PartnerType, Sector, Theme
from deepdive.reference.regions import IloRegion

from ..models import CoSubmitter, Proposal
from ..queries import taking_part_statuses

YES_NO = [("yes", _("yes")), ("no", _("no"))]


def _ids(**lookups) -> QuerySet:
    return Proposal.objects.filter(**lookups).values("pk")


class ProposalFilter(django_filters.FilterSet):
    """Filters of one call's proposals; give the call as ``call=``."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            "Title, description, organisations (lead and co-submitting), speakers or contact."
        ),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Proposal.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all, drafts included."),
    )
    outcome = django_filters.ModelMultipleChoiceFilter(
        label=_("Outcome"),
        queryset=Outcome.objects.none(),
        method="related",
        widget=forms.CheckboxSelectMultiple,
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"),
        to_field_name="code",
        queryset=Theme.objects.all(),
        method="related",
        widget=forms.CheckboxSelectMultiple,
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sector"),
        to_field_name="code",
        queryset=Sector.objects.all(),
        method="related",
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.MultipleChoiceFilter(
        label=_("ILO region"),
        choices=IloRegion.choices,
        method="by_region",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Of a country of action or of a country of the lead organisation."),
    )
    type = django_filters.ModelMultipleChoiceFilter(
        label=_("Partner type"),
        to_field_name="code",
        queryset=PartnerType.objects.all(),
        method="by_partner_type",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Of the lead or of a co-submitting organisation taking part."),
    )
    pathfinder = django_filters.ChoiceFilter(
        label=_("Action in a Pathfinder Country"),
        choices=YES_NO,
        empty_label=_("either"),
        method="by_pathfinder",
    )
    joint = django_filters.ChoiceFilter(
        label=_("Joint proposal"),
        choices=YES_NO,
        empty_label=_("either"),
        method="by_joint",
        help_text=_("Joint: at least one co-submitting organisation taking part."),
    )

    class Meta:
        model = Proposal
        fields = ["q", "status", "outcome", "theme", "sector", "region", "type"]

    def __init__(self, *args, call, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)
        self.filters["outcome"].queryset = Outcome.objects.filter(
            action_group_id=call.series.action_group_id
        )
        field = self.form.fields["outcome"]
        field.queryset = self.filters["outcome"].queryset
        field.label_from_instance = lambda o: Truncator(str(o)).words(8)

    # Shown first; the others are under "More filters", open when one of them is set.
    MAIN = ("q", "status", "joint", "pathfinder")

    @property
    def main_fields(self):
        return [self.form[name] for name in self.MAIN]

    @property
    def more_fields(self):
        return [self.form[name] for name in self.filters if name not in self.MAIN]

    @property
    def more_is_filtered(self) -> bool:
        return self.is_bound and any(
            self.data.getlist(name) for name in self.filters if name not in self.MAIN
        )

    def related(self, queryset, name, value):
        if not value:
            return queryset
        field = {"outcome": "outcomes", "theme": "themes", "sector": "sectors"}[name]
        return queryset.filter(pk__in=_ids(**{f"{field}__in": value}))

    def by_region(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(pk__in=_ids(countries__ilo_region__in=value))
            | Q(pk__in=_ids(lead_organisation__countries__ilo_region__in=value))
        )

    def by_partner_type(self, queryset, name, value):
        if not value:
            return queryset
        partners = CoSubmitter.objects.filter(
            status__in=taking_part_statuses(self.call),
            organisation__partner_type__in=value,
        ).values("proposal_id")
        return queryset.filter(Q(lead_organisation__partner_type__in=value) | Q(pk__in=partners))

    def by_pathfinder(self, queryset, name, value):
        if value not in ("yes", "no"):
            return queryset
        return queryset.filter(includes_pathfinder=value == "yes")

    def by_joint(self, queryset, name, value):
        # ``partners`` is annotated by queries.call_proposals.
        if value == "yes":
            return queryset.filter(partners__gte=1)
        if value == "no":
            return queryset.filter(partners=0)
        return queryset

    def search(self, queryset, name, value):
        """Every word must appear somewhere (any field, case-insensitive)."""
        for word in value.split():
            matching = Proposal.objects.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(contact_name__icontains=word)
                | Q(contact_email__icontains=word)
                | Q(lead_organisation__name__icontains=word)
                | Q(lead_organisation__acronym__icontains=word)
                | Q(co_submitters__organisation__name__icontains=word)
                | Q(co_submitters__organisation__acronym__icontains=word)
                | Q(co_submitters__unlisted_name__icontains=word)
                | Q(speakers__name__icontains=word)
            ).values("pk")
            queryset = queryset.filter(pk__in=matching)
        return queryset

    @property
    def is_filtered(self) -> bool:
        """Whether any search or filter is set (for the "clear filters" link)."""
        return self.is_bound and any(
            self.data.get(name) or self.data.getlist(name) for name in self.filters
        )


# Sort: the ``sort`` parameter is a column key, "-" in front for descending.
SORTS = {
    "title": (Lower("title"),),
    "lead": (Lower("lead_organisation__name"),),
    "status": ("status",),
    "submitted": (F("submitted_at"),),
    "updated": (F("updated_at"),),
    "organisations": ("organisation_count",),
}
DEFAULT_SORT = "-submitted"


def sort_key(value: str | None) -> str:
    """The sort asked for if it is one we know, else the default."""
    return value if value and value.lstrip("-") in SORTS else DEFAULT_SORT


def ordered(queryset: QuerySet, value: str | None) -> QuerySet:
    """``queryset`` in the order of ``sort``; empty values last; ties by title then id."""
    key = sort_key(value)
    descending = key.startswith("-")
    terms = []
    for term in SORTS[key.lstrip("-")]:
        expression = F(term) if isinstance(term, str) else term
        terms.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return queryset.order_by(*terms, Lower("title"), "pk")


@dataclass(frozen=True)
class SortHeader:
    """A sortable column header: the link's ``sort`` value and the ``aria-sort`` state."""

    key: str
    label: str
    link_sort: str
    aria_sort: str  # "ascending", "descending" or "none"


SORT_LABELS = {
    "title": _("Title"),
    "lead": _("Lead organisation"),
    "status": _("Status"),
    "submitted": _("Submitted"),
    "updated": _("Updated"),
    "organisations": _("Organisations"),
}


def sort_headers(value: str | None) -> dict[str, SortHeader]:
    """For each sortable column, where its header links to: the same column the other way
    round when it is the current sort, else that column ascending (dates: newest first)."""
    current = sort_key(value)
    headers = {}
    for key, label in SORT_LABELS.items():
        if current.lstrip("-") == key:
            descending = current.startswith("-")
            state = "descending" if descending else "ascending"
            link = key if descending else f"-{key}"
        else:
            state = "none"
            link = f"-{key}" if key in ("submitted", "updated", "organisations") else key
        headers[key] = SortHeader(key, str(label), link, state)
    return headers
