"""The engagement report: feedback ratings per webinar against counts worked out here, the
distribution hidden under 5 answers (shown at 5), plays and downloads said to be not recorded
yet, the page, who may see it, and a number of queries that does not grow with the answers."""

from statistics import mean

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deepdive.insight.engagement import engagement
from deepdive.insight.participation import Filters
from deepdive.webinars.models import Feedback
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
    assert not report.plays_recorded and not report.downloads_recorded


def test_the_page(webinars, series, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:engagement", kwargs={"slug": series.slug})
    html = client.get(url).content.decode()
    assert "fewer than 5 answers: not shown" in html
    assert "not recorded yet" in html
    with pytest.raises(PermissionDenied):
        engagement(reader=ReaderFactory(), filters=Filters(series))
    client.force_login(ReaderFactory())
    assert client.get(url).status_code == 403


def test_queries_do_not_grow_with_the_answers(webinars, series, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:engagement", kwargs={"slug": series.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    answer(webinars[0], *([3] * 20))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
