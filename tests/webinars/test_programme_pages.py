"""The programme at scale: a page of 20 webinars (upcoming first, then past ones by page), the
same number of queries at any size, and a copy kept for anonymous readers that is replaced as
soon as a webinar is published and never served across a webinar's start."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deepdive.webinars import queries
from deepdive.webinars.models import Webinar

from .factories import ProposalFactory, PublishedWebinarFactory, WebinarFactory
from .test_programme import call, series  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def add(call, count: int, *, first_day: int, step: int = 1) -> None:  # noqa: F811
    """``count`` published webinars, the first ``first_day`` days from now (negative: past),
    one every ``step`` days, titled by their day."""
    for i in range(count):
        day = first_day + i * step
        start = timezone.now() + timedelta(days=day, hours=1)
        PublishedWebinarFactory(
            proposal=ProposalFactory(call=call, title=f"Webinar of day {day}"),
            starts_at=start,
            planned_start=start,
        )


def titles(response) -> list[str]:
    return re.findall(
        r'<h4 id="webinar-\d+"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def queries_of(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as made:
        assert client.get(url, params).status_code == 200
    return len(made)


def test_upcoming_webinars_first_then_past_ones_by_pages_of_twenty(client, series, call):  # noqa: F811
    add(call, 5, first_day=1)  # days 1..5
    add(call, 30, first_day=-30)  # days -30..-1
    page = client.get(series.get_absolute_url())
    assert titles(page) == [f"Webinar of day {d}" for d in range(1, 6)] + [
        f"Webinar of day {d}" for d in range(-1, -16, -1)
    ]
    html = page.content.decode()
    assert "Upcoming webinars" in html and "Past webinars" in html
    assert 'href="?page=2#programme" rel="next">Next page</a>' in html
    second = client.get(series.get_absolute_url(), {"page": 2})
    assert titles(second) == [f"Webinar of day {d}" for d in range(-16, -31, -1)]
    assert "Upcoming webinars" not in second.content.decode()
    assert 'href="?page=1#programme" rel="prev">Previous page</a>' in second.content.decode()


def test_the_pages_keep_the_filters(client, series, call):  # noqa: F811
    for day in range(-25, 0):
        start = timezone.now() + timedelta(days=day)
        PublishedWebinarFactory(
            proposal=ProposalFactory(call=call, title=f"Day {day}", themes=["child_labour"]),
            starts_at=start,
            planned_start=start,
        )
    html = client.get(series.get_absolute_url(), {"theme": "child_labour"}).content.decode()
    assert "25 webinars of 25 match these filters." in html
    assert 'href="?theme=child_labour&amp;page=2#programme" rel="next">' in html


def test_the_programme_takes_as_many_queries_at_25_and_200_webinars(client, series, call):  # noqa: F811
    add(call, 10, first_day=1, step=2)
    add(call, 15, first_day=-60, step=2)
    at_25 = queries_of(client, series.get_absolute_url())
    add(call, 175, first_day=-500, step=2)
    assert Webinar.objects.count() == 200
    assert queries_of(client, series.get_absolute_url()) == at_25
    assert queries_of(client, series.get_absolute_url(), page=5) == at_25
    assert len(titles(client.get(series.get_absolute_url(), {"page": 5}))) == 20


def test_the_pager_stays_short(client, series, call):  # noqa: F811
    add(call, 200, first_day=-400, step=2)  # 10 pages
    html = client.get(series.get_absolute_url(), {"page": 5}).content.decode()
    pager = html.split('aria-label="Pages of the programme"', 1)[1].split("</nav>", 1)[0]
    numbers = re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', pager)
    assert numbers == ["1", "2", "3", "4", "6", "7", "10"]
    assert '<span class="pagination-gap" aria-hidden="true">…</span>' in pager
    assert '<span aria-current="page"><strong>5</strong></span>' in pager


def test_anonymous_readers_get_a_kept_copy_replaced_when_a_webinar_is_published(
    client,
    series,  # noqa: F811
    call,  # noqa: F811
):
    add(call, 3, first_day=2)
    url = series.get_absolute_url()
    fresh = queries_of(client, url)
    assert queries_of(client, url) <= 2 < fresh  # a kept copy: only its freshness is read
    waiting = WebinarFactory(
        proposal=ProposalFactory(call=call, title="Just published"),
        planned_start=timezone.now() + timedelta(days=1),
    )
    assert "Just published" not in titles(client.get(url))
    waiting.starts_at, waiting.published_at = waiting.planned_start, timezone.now()
    waiting.save(update_fields=["starts_at", "published_at", "updated_at"])
    assert titles(client.get(url))[0] == "Just published"


def test_a_copy_is_never_kept_across_a_webinars_start(series, call):  # noqa: F811
    now = timezone.now()
    start = now + timedelta(seconds=12)
    PublishedWebinarFactory(proposal=ProposalFactory(call=call), starts_at=start)
    _stamp, seconds = queries.programme_freshness(series.slug, now=now, cap=30)
    assert seconds == 12
    _stamp, seconds = queries.programme_freshness(series.slug, now=start, cap=30)
    assert seconds == 30
    assert queries.programme_freshness("no-such-series", now=now, cap=30) is None
