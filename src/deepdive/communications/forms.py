"""The branding and campaign forms: what the secretariat types; the services check and save it."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from deepdive.reference.models import ActionGroup, Country, PartnerType
from deepdive.reference.regions import IloRegion
from deepdive.series.models import Series
from deepdive.webinars.models import Webinar

from . import audiences
from .models import Branding


class BrandingForm(forms.Form):
    colour_primary = forms.CharField(
        label=_("Main colour"),
        max_length=7,
        help_text=_("# and six hex digits, e.g. #1e2dbe. The band and the date use it."),
    )
    colour_accent = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        help_text=_("# and six hex digits, e.g. #fa3c4b. The thin lines use it."),
    )
    layout = forms.ChoiceField(label=_("Layout"), choices=Branding.Layout.choices)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG or JPEG image of at most 2 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


class CampaignForm(forms.Form):
    """What to invite to and who: the audience's kind and, for some kinds, the one value in
    the list that goes with it (the others are ignored). Read from a GET (to count) and a
    POST (to draft)."""

    webinar = forms.ModelChoiceField(
        label=_("Invitation to"),
        queryset=Webinar.objects.none(),
        required=False,
        empty_label=_("The series' whole programme to come"),
    )
    kind = forms.ChoiceField(label=_("Who"), choices=list(audiences.KINDS.items()))
    action_group = forms.ModelChoiceField(
        label=_("Action Group"),
        queryset=ActionGroup.objects.order_by("order", "name"),
        to_field_name="code",
        required=False,
        help_text=_("For “The members of one Action Group”."),
    )
    partner_type = forms.ModelChoiceField(
        label=_("Partner type"),
        queryset=PartnerType.objects.order_by("order", "name"),
        to_field_name="code",
        required=False,
        help_text=_("For “The members of one partner type”."),
    )
    region = forms.ChoiceField(
        label=_("ILO region"),
        choices=[("", "---------"), *IloRegion.choices],
        required=False,
        help_text=_("For “The members in one ILO region”."),
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("name"),
        required=False,
        help_text=_("For “The members in one country”."),
    )
    source = forms.ModelChoiceField(
        label=_("Webinar of the series"),
        queryset=Webinar.objects.none(),
        required=False,
        help_text=_("For “The registrants of one webinar” and “The attendees of one webinar”."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Messages a minute"),
        min_value=1,
        max_value=10_000,
        initial=60,
        help_text=_("Once you press Send, the invitations leave at this pace."),
    )

    # The field that holds each kind's value.
    VALUE_FIELDS = {
        audiences.ACTION_GROUP: "action_group",
        audiences.PARTNER_TYPE: "partner_type",
        audiences.REGION: "region",
        audiences.COUNTRY: "country",
        audiences.REGISTRANTS: "source",
        audiences.ATTENDEES: "source",
    }

    def __init__(self, *args, series: Series, upcoming: list[Webinar], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.series = series
        self.upcoming = upcoming
        webinar_field = self.fields["webinar"]
        source_field = self.fields["source"]
        assert isinstance(webinar_field, forms.ModelChoiceField)
        assert isinstance(source_field, forms.ModelChoiceField)
        webinar_field.queryset = Webinar.objects.filter(pk__in=[w.pk for w in upcoming])
        source_field.queryset = Webinar.objects.filter(
            proposal__call__series=series, published_at__isnull=False
        ).order_by("starts_at", "pk")
        webinar_field.label_from_instance = source_field.label_from_instance = _webinar_label

    def clean(self):
        data = super().clean()
        name = self.VALUE_FIELDS.get(data.get("kind", ""))
        if name and not data.get(name) and name not in self.errors:
            self.add_error(name, _("Choose one here for this audience."))
        return data

    def audience(self) -> audiences.Audience:
        data = self.cleaned_data
        name = self.VALUE_FIELDS.get(data["kind"])
        value = data.get(name) if name else None
        if isinstance(value, ActionGroup | PartnerType):
            text = value.code
        elif value is not None:
            text = str(value.pk if hasattr(value, "pk") else value)
        else:
            text = ""
        return audiences.Audience(series_id=self.series.pk, kind=data["kind"], value=text)


def _webinar_label(webinar: Webinar) -> str:
    return (
        f"{webinar.title} ({date_format(webinar.starts_at, 'j M Y')})"
        if webinar.starts_at
        else webinar.title
    )
