"""The engagement report: feedback ratings per webinar against counts worked out here, the
distribution hidden under 5 answers (shown at 5); recording plays and material downloads per
webinar and in total, in the filters' period, against sums worked out here from the counters
(a count of 1 shown as it is: counts are not suppressed); the page and its XLSX, who may see
it, and a number of queries that does not grow with the answers, plays or downloads."""

import io
from datetime import UTC, timedelta
from statistics import mean

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from deepdive.insight.engagement import engagement
from deepdive.insight.participation import Filters
from deepdive.webinars.models import (
    Feedback,
    Material,
    MaterialDownloads,
    Recording,
    RecordingPlays,
)
from tests.accounts.factories import SecretariatFactory
from tests.insight.test_participation import held
from tests.webinars.factories import CallFactory, ReaderFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def answer(webinar, *ratings):
    for rating in ratings:
        Feedback.objects.create(webinar=webinar, usefulness=rating)


@pytest.fixture
def series():
    return SeriesFactory()


@pytest.fixture
def webinars(series):
    call = CallFactory(series=series)
    four, five = held(call, days_ago=20), held(call, days_ago=10)
    answer(four, 5, 4, 4, 2)
    answer(five, 5, 5, 3, 1, 4)
    return four, five


def test_ratings_per_webinar(webinars, series):
    four, five = webinars
    report = engagement(reader=SecretariatFactory(), filters=Filters(series))
    first, second = report.ratings
    assert (first.webinar, first.answers, first.average) == (four, 4, round(mean([5, 4, 4, 2]), 1))
    assert first.distribution is None  # 4 answers: not shown
    assert second.answers == 5
    assert second.distribution == [1, 0, 1, 1, 2]  # 5 answers: shown, from "not useful" up
    assert report.answers == 9
    assert report.average == round(mean([5, 4, 4, 2, 5, 5, 3, 1, 4]), 1)
    assert report.distribution == [1, 1, 1, 3, 3]


def test_the_page(webinars, series, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:engagement", kwargs={"slug": series.slug})
    html = client.get(url).content.decode()
    assert "fewer than 5 answers: not shown" in html
    assert "not recorded yet" not in html
    assert "Plays and downloads per webinar" in html
    with pytest.raises(PermissionDenied):
        engagement(reader=ReaderFactory(), filters=Filters(series))
    client.force_login(ReaderFactory())
    assert client.get(url).status_code == 403


def test_queries_do_not_grow_with_the_answers(webinars, series, counted, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:engagement", kwargs={"slug": series.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    answer(webinars[0], *([3] * 20))
    for recording in Recording.objects.all():
        for ago in range(40, 60):
            RecordingPlays.objects.create(recording=recording, day=days_ago(ago), count=2)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


# ------------------------------------------------------------------------- plays and downloads

TODAY = timezone.now().astimezone(UTC).date()


def days_ago(n):
    return TODAY - timedelta(days=n)


@pytest.fixture
def counted(webinars):
    """Counters on several days, for two recordings and a material of the first webinar and a
    recording of the second: (webinar, "plays" or "downloads", day, count) each."""
    four, five = webinars

    def recording(webinar, language):
        return Recording.objects.create(
            webinar=webinar,
            url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            provider="youtube",
            video_id="dQw4w9WgXcQ",
            language=language,
            published_at=timezone.now(),
        )

    english, french, second = recording(four, "en"), recording(four, "fr"), recording(five, "en")
    slides = Material.objects.create(
        webinar=four, title="Slides", file="slides.pdf", content_type="application/pdf", size=1
    )
    counts = [
        (english, 19, 3),
        (english, 5, 2),
        (english, 1, 4),
        (french, 5, 1),
        (second, 30, 6),  # before the period below
        (second, 8, 1),
        (slides, 19, 2),
        (slides, 4, 1),
        (slides, 0, 5),  # today: after the period below
    ]
    events = []
    for thing, ago, n in counts:
        if isinstance(thing, Material):
            MaterialDownloads.objects.create(material=thing, day=days_ago(ago), count=n)
            events.append((thing.webinar, "downloads", days_ago(ago), n))
        else:
            RecordingPlays.objects.create(recording=thing, day=days_ago(ago), count=n)
            events.append((thing.webinar, "plays", days_ago(ago), n))
    return events


def expected(events, webinar, kind, start=None, end=None):
    return sum(
        n
        for w, k, day, n in events
        if w == webinar
        and k == kind
        and (start is None or day >= start)
        and (end is None or day <= end)
    )


def test_plays_and_downloads_per_webinar(webinars, series, counted):
    report = engagement(reader=SecretariatFactory(), filters=Filters(series))
    assert [(u.webinar, u.plays, u.downloads) for u in report.usage] == [
        (w, expected(counted, w, "plays"), expected(counted, w, "downloads")) for w in webinars
    ]
    assert [(u.plays, u.downloads) for u in report.usage] == [(10, 8), (7, 0)]
    assert (report.plays, report.downloads) == (17, 8)


def test_plays_and_downloads_in_the_period(webinars, series, counted):
    start, end = days_ago(25), days_ago(2)  # both webinars; not days 30, 1 and 0
    report = engagement(reader=SecretariatFactory(), filters=Filters(series, start=start, end=end))
    assert [(u.plays, u.downloads) for u in report.usage] == [
        (expected(counted, w, "plays", start, end), expected(counted, w, "downloads", start, end))
        for w in webinars
    ]
    assert [(u.plays, u.downloads) for u in report.usage] == [(6, 3), (1, 0)]
    assert (report.plays, report.downloads) == (7, 3)


def test_plays_and_downloads_on_the_page_and_in_the_export(webinars, series, counted, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:engagement", kwargs={"slug": series.slug})
    html = client.get(url).content.decode()
    assert "<td>7</td><td>0</td>" in html  # the second webinar: a count under 5 shown as it is
    assert "<td>17</td><td>8</td></tr></tfoot>" in html
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    rows = [[cell.value for cell in row] for row in book["Plays and downloads"].iter_rows()]
    assert rows[0] == ["Webinar", "Date", "Recording plays", "Material downloads"]
    assert [row[2:] for row in rows[1:]] == [[10, 8], [7, 0], [17, 8]]
    assert rows[-1][0] == "Total"
