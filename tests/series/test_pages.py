import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.core.templatetags.deepdive import when
from deepdive.series import branding
from deepdive.series.models import Call, Series
from deepdive.series.queries import public_series

pytestmark = pytest.mark.django_db


def test_series_page_shows_times_in_the_readers_and_the_calls_zone(client, series, call):
    client.cookies["deepdive_tz"] = "UTC"
    page = client.get(reverse("webinars:programme", args=[series.slug])).content.decode()

    assert "Virtual deep dive series" in page
    assert "Supply Chains" in page
    assert "Webinars by members." in page
    # Closing 2026-09-30 23:59 in Geneva (Europe/Zurich) is 21:59 UTC for this reader.
    assert 'datetime="2026-09-30T21:59:00+00:00"' in page
    assert 'datetime="2026-09-01T07:00:00+00:00"' in page
    in_utc, in_zurich = when(call.closes_at, "UTC"), when(call.closes_at, "Europe/Zurich")
    assert in_utc.endswith("(UTC, UTC+00:00)") and ("21:59" in in_utc or "9:59" in in_utc)
    assert in_zurich.endswith("(Europe/Zurich, UTC+02:00)") and "11:59" in in_zurich.replace(
        "23:59", "11:59"
    )
    assert f"{in_utc}</time>" in page
    assert f"In the call's time zone: {in_zurich}" in page
    assert f"In the call's time zone: {when(call.opens_at, 'Europe/Zurich')}" in page


def test_a_reader_in_another_zone_sees_their_own(client, series, call):
    client.cookies["deepdive_tz"] = "Asia/Kathmandu"
    page = client.get(series.get_absolute_url()).content.decode()
    assert 'datetime="2026-10-01T03:44:00+05:45"' in page
    assert f"{when(call.closes_at, 'Asia/Kathmandu')}</time>" in page
    assert "(Asia/Kathmandu, UTC+05:45)" in page
    assert when(call.closes_at, "Europe/Zurich") in page


def test_open_call_shows_status_and_time_left(client, series):
    now = timezone.now()
    Call.objects.create(
        series=series,
        slug="open",
        title="Open call",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=3, hours=5, minutes=30),
        timezone="Asia/Tokyo",
    )
    Call.objects.create(
        series=series,
        slug="later",
        title="Later call",
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=60),
        timezone="Europe/Zurich",
    )
    response = client.get(series.get_absolute_url())
    page = response.content.decode()
    assert '<span class="badge ok">open</span>' in page
    assert '<span class="badge warn">scheduled</span>' in page
    assert "3\xa0days, 5\xa0hours until the deadline" in page
    assert page.count("until the deadline") == 1  # only the open call has time left
    assert "(Asia/Tokyo, UTC+09:00)" in page


def test_closed_call_has_no_time_left(client, series, call):
    page = client.get(series.get_absolute_url()).content.decode()
    assert '<span class="badge">closed</span>' in page
    assert "until the deadline" not in page


def test_branding_colours_languages_and_logo(client, series):
    Series.objects.filter(pk=series.pk).update(logo="series/logo.png")
    page = client.get(series.get_absolute_url()).content.decode()
    # no inline style (the Content-Security-Policy forbids it): a stylesheet of the colours
    assert 'style="' not in page
    assert (
        ":root { --series-primary: #123456; --series-accent: #abcdef; "
        "--series-on-primary: #ffffff; }"
    ) in colours_of(client, page)
    assert 'src="/media/series/logo.png" alt="Logo of Virtual deep dive series"' in page
    assert '<span lang="fr">French</span>' in page
    assert '<span lang="es">Spanish</span>' in page
    assert "No call for proposals" in page


def test_a_colour_that_is_not_hex_never_reaches_the_css(client, series):
    # Saved around the model's validator (e.g. by a script): the page still refuses it.
    Series.objects.filter(pk=series.pk).update(colour_primary="};</a>", colour_accent="#fff")
    page = client.get(series.get_absolute_url()).content.decode()
    css = colours_of(client, page)
    assert "--series-primary: #1e2dbe; --series-accent: #fa3c4b;" in css
    assert "};</a>" not in page and "};</a>" not in css


def colours_of(client, page: str) -> str:
    """The series' colours stylesheet the page links to."""
    href = re.search(r'<link rel="stylesheet" href="(/series/[^"]+/colours\.css\?v=\w+)">', page)
    assert href, "the page links to its colours"
    response = client.get(html.unescape(href[1]))
    assert response["Content-Type"].startswith("text/css")
    return response.content.decode()


def test_band_text_colour_contrasts():
    assert branding.readable_on("#ffff00") == branding.DARK_TEXT
    assert branding.readable_on("#1e2dbe") == branding.LIGHT_TEXT
    assert branding.contrast("#ffffff", "#000000") == pytest.approx(21)


def test_unknown_series_is_404(client, db):
    assert client.get(reverse("webinars:programme", args=["nope"])).status_code == 404


def test_public_series_prefetches_ordered_calls(
    series, call, action_group, django_assert_num_queries
):
    early = Call.objects.create(
        series=series,
        slug="early",
        title="Early",
        opens_at=call.opens_at - timedelta(days=400),
        closes_at=call.opens_at - timedelta(days=300),
    )
    Series.objects.create(action_group=action_group, slug="other", title="Other")
    with django_assert_num_queries(2):
        listing = [
            (s.slug, str(s.action_group), [c.pk for c in s.calls.all()]) for s in public_series()
        ]
    assert listing == [
        ("other", "Supply Chains", []),
        ("deep-dive-2026", "Supply Chains", [early.pk, call.pk]),
    ]


def test_home_page_lists_the_series(client, series, call):
    page = client.get(reverse("core:home")).content.decode()
    assert series.get_absolute_url() in page
