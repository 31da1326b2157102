from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def when(value: datetime | None, zone_name: str | None = None) -> str:
    """A moment in the reader's zone (or ``zone_name``), with the zone named and its offset."""
    if not value:
        return ""
    if zone_name:
        import zoneinfo

        local = value.astimezone(zoneinfo.ZoneInfo(zone_name))
    else:
        local = timezone.localtime(value)
        zone_name = str(timezone.get_current_timezone())
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{date_format(local, 'DATETIME_FORMAT')} ({zone_name.replace('_', ' ')}, {offset})"


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
