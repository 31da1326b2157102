from datetime import UTC, datetime

from django import template
from django.conf import settings
from django.utils.dateformat import time_format
from django.utils.formats import date_format, get_format
from django.utils.html import format_html
from django.utils.translation import get_language

from deepdive.core.timezones import moment_text
from deepdive.core.widgets import take_zone_datalist_wanted
from deepdive.core.widgets import zone_datalist as datalist

register = template.Library()


@register.filter(needs_autoescape=True)
def when(value: datetime | None, zone_name: str | None = None, autoescape: bool = False) -> str:
    """A moment in the reader's zone (or ``zone_name``), with the zone named and its offset.

    In the reader's zone on a page (autoescaping on), the text is wrapped in a ``<time>`` the
    browser's script (static/js/timezone.js) redraws in the browser's zone on a first visit,
    when the server could only guess the zone."""
    if not value:
        return ""
    in_reader_zone = not zone_name
    text = moment_text(value, zone_name)
    if not (in_reader_zone and autoescape):
        return text
    return format_html(
        '<time datetime="{}" data-tz-zone="reader" data-tz="when" data-tz-format="{}">{}</time>',
        value.astimezone(UTC).isoformat(),
        get_format("DATETIME_FORMAT"),
        text,
    )


# Parts of a webinar's time (webinars.queries.ZoneTime) the browser's script may redraw in the
# browser's zone: it redraws each in the zone of the nearest ``data-tz-zone`` ("reader": the
# browser's). Without JavaScript they show what the server wrote.


@register.filter
def tz_date(zone_time, fmt: str) -> str:
    return format_html(
        '<time datetime="{}" data-tz="date" data-tz-format="{}">{}</time>',
        zone_time.iso,
        fmt,
        date_format(zone_time.local_start, fmt),
    )


@register.filter
def tz_hours(zone_time) -> str:
    return format_html(
        '<span data-tz="hours" data-tz-at="{}" data-tz-end="{}">{}–{}</span>',
        zone_time.iso,
        zone_time.end.isoformat(),
        time_format(zone_time.local_start, "H:i"),
        time_format(zone_time.local_end, "H:i"),
    )


@register.filter
def tz_label(zone_time) -> str:
    return format_html('<span data-tz="label">{}</span>', zone_time.label)


@register.filter
def tz_offset(zone_time) -> str:
    return format_html(
        '<span data-tz="offset" data-tz-at="{}">{}</span>', zone_time.iso, zone_time.offset
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag
def zone_datalist() -> str:
    """The list of time zones the page's zone boxes suggest from, once, if any was drawn
    (core/widgets.py ZoneInput); nothing otherwise."""
    if not take_zone_datalist_wanted():
        return ""
    return datalist(get_language() or settings.LANGUAGE_CODE)
