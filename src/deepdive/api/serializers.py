"""The API's answers, field by field: each field is named here (never "all the model's
fields"), so nothing is published by adding a column. Names are translated into the
language the client asks for (Accept-Language), as on the pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deepdive.proposals.models import WEBINAR_LANGUAGES
from deepdive.reference.regions import IloRegion
from deepdive.series.models import Call, Series
from deepdive.webinars import queries as webinar_queries
from deepdive.webinars import recordings as webinar_recordings
from deepdive.webinars import sessions
from deepdive.webinars.models import Material, Recording, Webinar

from . import queries


def _one_of(choices: Iterable[tuple[str, Any]]) -> str:
    return gettext("One of: %(values)s.") % {
        "values": ", ".join(f"{label} ({value})" for value, label in choices)
    }


def described_choices(text: str | Promise, choices: Iterable[tuple[str, Any]]) -> Promise:
    """``text`` followed by the allowed values in words, e.g. "Spoken, or interpreted into.
    One of: English (en), French (fr), ...", in the active language when the schema is made
    (drf-spectacular's own list is markdown: ENUM_GENERATE_CHOICE_DESCRIPTION is off)."""
    return format_lazy("{} {}", text, lazy(_one_of, str)(list(choices)))


class UtcDateTime(serializers.DateTimeField):
    """An instant in UTC, ISO 8601 with a ``Z`` (whatever the reader's zone)."""

    def to_representation(self, value: datetime) -> str:
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class NamedSerializer(serializers.Serializer):
    """A coded thing (theme, sector) with its name in the reader's language."""

    code = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, thing: Any) -> str:
        return str(thing)


class CountrySerializer(NamedSerializer):
    """A country by its ISO 3166 code, named in the reader's language."""


class LocalTimeSerializer(serializers.Serializer):
    """A session's start and end in one time zone."""

    zone = serializers.CharField(help_text=_("The IANA time zone, e.g. Europe/Paris."))
    start = serializers.CharField(
        source="iso", help_text=_("ISO 8601 with the zone's offset at that moment.")
    )
    end = serializers.CharField(source="end_iso")
    offset = serializers.CharField(help_text=_("The offset from UTC, e.g. UTC+01:00."))


class CallSerializer(serializers.Serializer):
    series = serializers.CharField(source="series.slug")
    slug = serializers.CharField()
    title = serializers.SerializerMethodField(help_text=_("In the reader's language if written."))
    status = serializers.SerializerMethodField(
        help_text=_(
            "scheduled: not open yet; open: taking proposals now; closed: no longer taking "
            "proposals."
        )
    )
    opens_at = UtcDateTime()
    closes_at = UtcDateTime()
    timezone = serializers.CharField(help_text=_("The zone the call's dates are set in."))
    opens_local = serializers.SerializerMethodField()
    closes_local = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text=_("The call's public page."))

    @extend_schema_field(serializers.ChoiceField(choices=Call.Status.choices))
    def get_status(self, call: Call) -> str:
        return str(queries.call_status(call, now=timezone.now()))

    def get_title(self, call: Call) -> str:
        return call.text("title")

    def _local(self, call: Call, moment: datetime) -> str:
        return webinar_queries.zone_time(moment, 0, call.timezone).iso

    def get_opens_local(self, call: Call) -> str:
        return self._local(call, call.opens_at)

    def get_closes_local(self, call: Call) -> str:
        return self._local(call, call.closes_at)

    def get_url(self, call: Call) -> str:
        return absolute(self.context, call.get_absolute_url())


class SeriesSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.SerializerMethodField(help_text=_("In the reader's language if written."))
    description = serializers.SerializerMethodField()
    languages = serializers.ListField(child=serializers.CharField())
    action_group = serializers.CharField(source="action_group.code", allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("The series' public programme."))
    calls = CallSerializer(many=True, source="calls.all")

    def get_title(self, series: Series) -> str:
        return series.text("title")

    def get_description(self, series: Series) -> str:
        return series.text("description")

    def get_url(self, series: Series) -> str:
        return absolute(self.context, reverse("webinars:programme", kwargs={"slug": series.slug}))


class OutcomeBriefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField(source="display_title")


class HostSerializer(serializers.Serializer):
    name = serializers.CharField()


class RepeatSerializer(serializers.Serializer):
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    series_time = LocalTimeSerializer()


class WebinarSerializer(serializers.Serializer):
    """A published webinar as the programme lists it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    series = serializers.CharField(source="proposal.call.series.slug")
    call = serializers.CharField(source="proposal.call.slug")
    url = serializers.SerializerMethodField(help_text=_("The webinar's public page."))
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    minutes = serializers.IntegerField()
    series_time = serializers.SerializerMethodField()
    repeat_session = serializers.SerializerMethodField()
    cancelled = serializers.SerializerMethodField()
    members_only = serializers.BooleanField(
        help_text=_("Registration is for Alliance 8.7 members only.")
    )
    language = serializers.CharField(source="proposal.language", allow_blank=True)
    interpretation = serializers.SerializerMethodField(
        help_text=_("The languages it is interpreted into.")
    )
    themes = NamedSerializer(many=True, source="proposal.themes.all")
    outcomes = OutcomeBriefSerializer(many=True, source="proposal.outcomes.all")
    sectors = NamedSerializer(many=True, source="proposal.sectors.all")
    countries = CountrySerializer(many=True, source="proposal.countries.all")
    hosts = serializers.SerializerMethodField()

    def get_interpretation(self, webinar: Webinar) -> list[str]:
        codes = [code for code, _name in webinar_queries.languages_of(webinar.proposal)]
        return codes[1:] if webinar.proposal.language else codes

    def get_url(self, webinar: Webinar) -> str:
        return absolute(self.context, webinar.get_absolute_url())

    def _zone(self, webinar: Webinar) -> str:
        return webinar_queries.reference_zone(webinar.call)

    @extend_schema_field(LocalTimeSerializer)
    def get_series_time(self, webinar: Webinar) -> dict[str, Any]:
        assert webinar.starts_at is not None  # published webinars have a time
        local = webinar_queries.zone_time(webinar.starts_at, webinar.minutes, self._zone(webinar))
        return dict(LocalTimeSerializer(local).data)

    @extend_schema_field(RepeatSerializer(allow_null=True))
    def get_repeat_session(self, webinar: Webinar) -> dict[str, Any] | None:
        repeat = sessions.published_repeat(webinar)
        if repeat is None or repeat.starts_at is None:
            return None
        local = webinar_queries.zone_time(repeat.starts_at, webinar.minutes, self._zone(webinar))
        return dict(
            RepeatSerializer(
                {"starts_at": local.start, "ends_at": local.end, "series_time": local}
            ).data
        )

    def get_cancelled(self, webinar: Webinar) -> bool:
        return webinar.state == Webinar.State.CANCELLED

    @extend_schema_field(HostSerializer(many=True))
    def get_hosts(self, webinar: Webinar) -> list[dict[str, Any]]:
        return [{"name": org.name} for org in webinar_queries.hosts_of(webinar)]


class DescriptionSerializer(serializers.Serializer):
    text = serializers.CharField()
    language = serializers.CharField()


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    organisation = serializers.CharField(allow_blank=True)


class CaptionsSerializer(serializers.Serializer):
    language = serializers.CharField()
    name = serializers.CharField()
    captions_url = serializers.CharField(source="download_url", help_text=_("WebVTT file."))
    transcript_url = serializers.CharField()


class RecordingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    webinar = serializers.IntegerField(source="webinar_id")
    webinar_title = serializers.CharField(source="webinar.title")
    series = serializers.CharField(source="webinar.proposal.call.series.slug")
    language = serializers.CharField()
    url = serializers.URLField(help_text=_("The video's address."))
    published_at = UtcDateTime()
    captions = serializers.SerializerMethodField()

    @extend_schema_field(CaptionsSerializer(many=True))
    def get_captions(self, recording: Recording) -> list[dict[str, Any]]:
        links = webinar_recordings.captions_links(recording)
        return [
            {
                "language": link.language,
                "name": link.name,
                "captions_url": absolute(self.context, link.download_url),
                "transcript_url": absolute(self.context, link.transcript_url),
            }
            for link in links
        ]


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    webinar = serializers.IntegerField(source="webinar_id")
    title = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("In bytes."))
    url = serializers.SerializerMethodField(help_text=_("The file, to download."))

    def get_url(self, material: Material) -> str:
        return absolute(self.context, reverse("webinars:material", kwargs={"pk": material.pk}))


class WebinarDetailSerializer(WebinarSerializer):
    """A published webinar as its public page shows it to an anonymous reader."""

    description = serializers.SerializerMethodField()
    speakers = serializers.SerializerMethodField()
    recordings = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()

    @extend_schema_field(DescriptionSerializer(allow_null=True))
    def get_description(self, webinar: Webinar) -> dict[str, Any] | None:
        request = self.context.get("request")
        found = webinar_queries.description_for(
            webinar, getattr(request, "LANGUAGE_CODE", "") or ""
        )
        return {"text": found.text, "language": found.language} if found else None

    @extend_schema_field(SpeakerSerializer(many=True))
    def get_speakers(self, webinar: Webinar) -> list[dict[str, str]]:
        return queries.speakers(webinar)

    @extend_schema_field(RecordingSerializer(many=True))
    def get_recordings(self, webinar: Webinar) -> list[dict[str, Any]]:
        shown = queries.published_recordings().filter(webinar=webinar)
        return list(RecordingSerializer(shown, many=True, context=self.context).data)

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, webinar: Webinar) -> list[dict[str, Any]]:
        shown = queries.public_materials(webinar)
        return list(MaterialSerializer(shown, many=True, context=self.context).data)


class ThemeSerializer(NamedSerializer):
    pass


class OutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    text = serializers.CharField(source="display_text")


class OutcomeSerializer(serializers.Serializer):
    action_group = serializers.CharField(source="action_group.code")
    number = serializers.IntegerField()
    title = serializers.CharField(source="display_title")
    outputs = OutputSerializer(many=True, source="outputs.all")


class LinkedWebinarSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    held = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_url(self, linked: Any) -> str:
        return absolute(self.context, reverse("webinars:detail", kwargs={"pk": linked.pk}))


class CoverageOutputSerializer(serializers.Serializer):
    """One Output of the workplan with the published webinars that serve it."""

    outcome = serializers.IntegerField(source="output.outcome.number")
    number = serializers.IntegerField(source="output.number")
    text = serializers.CharField(source="output.display_text")
    webinars_linked = serializers.IntegerField(source="selected")
    held = serializers.IntegerField()
    recorded = serializers.IntegerField()
    gap = serializers.BooleanField(
        source="is_gap", help_text=_("No published webinar serves this Output yet.")
    )
    webinars = LinkedWebinarSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    series = serializers.CharField(source="filters.series.slug")
    call = serializers.CharField(source="filters.call.slug", allow_null=True, default=None)
    outputs = CoverageOutputSerializer(many=True, source="rows")


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    name = serializers.CharField()
    countries = CountrySerializer(many=True, source="countries.all")


def languages() -> list[dict[str, str]]:
    """The languages a webinar may be held or interpreted in, named in the reader's language."""
    return [{"code": code, "name": str(name)} for code, name in WEBINAR_LANGUAGES]


def _webinar_filters() -> type[serializers.Serializer]:
    """The webinars' filters as query parameters (``from`` and ``to`` are Python words, so
    the class is made by hand)."""
    fields: dict[str, Any] = {
        "series": serializers.SlugField(
            required=False, help_text=_("A series' address (its slug, as in /api/series/).")
        ),
        "theme": serializers.SlugField(
            required=False, help_text=_("A theme's code, as in /api/themes/.")
        ),
        "outcome": serializers.IntegerField(
            required=False,
            min_value=1,
            help_text=_(
                "An Outcome's number, as in /api/outcomes/ (of the series' Action Group when a "
                "series is given)."
            ),
        ),
        "sector": serializers.SlugField(required=False, help_text=_("A sector's code.")),
        "region": serializers.ChoiceField(
            choices=IloRegion.choices,
            required=False,
            help_text=described_choices(
                _("The ILO region of a country of action."), IloRegion.choices
            ),
        ),
        "language": serializers.ChoiceField(
            choices=WEBINAR_LANGUAGES,
            required=False,
            help_text=described_choices(_("Spoken, or interpreted into."), WEBINAR_LANGUAGES),
        ),
        "from": serializers.DateField(
            required=False, help_text=_("Starting on or after this date (UTC).")
        ),
        "to": serializers.DateField(
            required=False, help_text=_("Starting on or before this date (UTC).")
        ),
        "q": serializers.CharField(
            required=False,
            max_length=100,
            help_text=_("Words in the title, the description or the lead organisation's name."),
        ),
    }
    return type("WebinarFilters", (serializers.Serializer,), fields)


WebinarFilters = _webinar_filters()


class CoverageFilters(serializers.Serializer):
    call = serializers.SlugField(
        required=False, help_text=_("A call's address: its webinars only.")
    )


class CallFilters(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["open", "past", "scheduled"],
        required=False,
        help_text=_(
            "Which calls: open (taking proposals now), past (closed) or scheduled (not open yet)."
        ),
    )
