"""The branding and campaign forms: what the secretariat types; the services check and save it."""

from typing import Any

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


# Newsletter issues -----------------------------------------------------------------------------

NEWSLETTER_LANGUAGES = (("en", _("English")), ("fr", _("French")), ("es", _("Spanish")))


class NewsletterForm(forms.Form):
    """A newsletter issue: its texts in English (required) and, optionally, French and
    Spanish; free text blocks (a heading and rich text, per language; one empty block more
    than those written, to add one); the sections of the programme to include. ``values()``
    gives the service's keyword arguments."""

    include_upcoming = forms.BooleanField(
        label=_("The published webinars to come"), required=False, initial=True
    )
    include_recordings = forms.BooleanField(
        label=_("The recordings just published"), required=False, initial=True
    )
    recordings_days = forms.IntegerField(
        label=_("Recordings published in the last … days"),
        min_value=1,
        max_value=366,
        initial=30,
    )
    include_call = forms.BooleanField(
        label=_("The call for proposals, when one is open"), required=False, initial=True
    )

    SECTIONS = ("include_upcoming", "include_recordings", "recordings_days", "include_call")

    def __init__(self, *args, blocks: int = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.block_count = max(1, blocks)
        for code, name in NEWSLETTER_LANGUAGES:
            required = code == "en"
            suffix = "" if required else f"_{code}"
            self.fields[f"subject{suffix}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=200,
                required=required,
                help_text="" if required else _("Empty: the English one."),
            )
            self.fields[f"introduction{suffix}"] = forms.CharField(
                label=_("Introduction (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_(
                    "You may write {name} for each recipient's name and {series} for the "
                    "series' title, here and in the blocks."
                ),
            )
            for n in range(1, self.block_count + 1):
                self.fields[f"block{n}_heading_{code}"] = forms.CharField(
                    label=_("Block %(n)s: heading (%(language)s)") % {"n": n, "language": name},
                    max_length=200,
                    required=False,
                )
                self.fields[f"block{n}_body_{code}"] = forms.CharField(
                    label=_("Block %(n)s: text (%(language)s)") % {"n": n, "language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    help_text=_(
                        "HTML: paragraphs, lists, bold, italics and links are kept; anything "
                        "else is removed."
                    ),
                )

    @classmethod
    def initial_from(cls, issue) -> dict:
        """The form's values for an issue already written."""
        initial = {
            "subject": issue.subject,
            "introduction": issue.introduction,
            **{name: getattr(issue, name) for name in cls.SECTIONS},
        }
        for code, values in (issue.texts or {}).items():
            for field, text in values.items():
                initial[f"{field}_{code}"] = text
        for n, block in enumerate(issue.blocks or [], start=1):
            for code, _name in NEWSLETTER_LANGUAGES:
                initial[f"block{n}_heading_{code}"] = block.get("heading", {}).get(code, "")
                initial[f"block{n}_body_{code}"] = block.get("body", {}).get(code, "")
        return initial

    def language_groups(self) -> list[tuple[Any, list[Any]]]:
        """The fields of each language, for one fieldset each."""
        groups = []
        for code, name in NEWSLETTER_LANGUAGES:
            suffix = "" if code == "en" else f"_{code}"
            names = [f"subject{suffix}", f"introduction{suffix}"]
            for n in range(1, self.block_count + 1):
                names += [f"block{n}_heading_{code}", f"block{n}_body_{code}"]
            groups.append((name, [self[field] for field in names]))
        return groups

    def section_fields(self) -> list:
        return [self[name] for name in self.SECTIONS]

    def values(self) -> dict:
        data = self.cleaned_data
        texts = {
            code: {field: data.get(f"{field}_{code}", "") for field in ("subject", "introduction")}
            for code, _name in NEWSLETTER_LANGUAGES[1:]
        }
        blocks = [
            {
                "heading": {
                    code: data.get(f"block{n}_heading_{code}", "")
                    for code, _name in NEWSLETTER_LANGUAGES
                },
                "body": {
                    code: data.get(f"block{n}_body_{code}", "")
                    for code, _name in NEWSLETTER_LANGUAGES
                },
            }
            for n in range(1, self.block_count + 1)
        ]
        return {
            "subject": data["subject"],
            "introduction": data.get("introduction", ""),
            "texts": texts,
            "blocks": blocks,
            **{name: data[name] for name in self.SECTIONS},
        }


class NewsletterLanguageForm(forms.Form):
    """Which language's recipients to preview or test as."""

    language = forms.ChoiceField(label=_("Language of the test"), choices=NEWSLETTER_LANGUAGES)


class NewsletterSendForm(CampaignForm):
    """Who receives the issue: the invitation's audiences, and the pace of sending."""

    def __init__(self, *args, series: Series, **kwargs) -> None:
        super().__init__(*args, series=series, upcoming=[], **kwargs)
        del self.fields["webinar"]
        self.fields["rate_per_minute"].help_text = _(
            "Once the campaign is sent, the messages leave at this pace."
        )
