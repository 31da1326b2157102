"""Plays of a published recording and downloads of a material, counted per day with nothing
about the reader: the player's link (GET, sent on to the video) and its beacon (POST, no CSRF
token) each count one play, a link checker's HEAD none; a recording not published, or of a
webinar the reader may not see, is a 404 and counts nothing; a download counts when the file
is served, not on a login redirect or a 404; two plays at the same moment both count."""

from datetime import UTC, timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deepdive.webinars import engagement
from deepdive.webinars.models import (
    Material,
    MaterialDownloads,
    Recording,
    RecordingPlays,
    Webinar,
)
from tests.accounts.factories import SecretariatFactory
from tests.races import database_on_disk, race
from tests.webinars.factories import PublishedWebinarFactory, WebinarFactory, member
from tests.webinars.test_workspace import pdf_bytes

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def recording_of(webinar: Webinar, *, published: bool = True) -> Recording:
    return Recording.objects.create(
        webinar=webinar,
        url=YOUTUBE,
        provider=Recording.Provider.YOUTUBE,
        video_id="dQw4w9WgXcQ",
        language="en",
        published_at=timezone.now() if published else None,
    )


def held() -> Webinar:
    start = timezone.now() - timedelta(days=3)
    return PublishedWebinarFactory(starts_at=start, planned_start=start)


def plays(recording: Recording) -> list[tuple[object, int]]:
    return list(RecordingPlays.objects.filter(recording=recording).values_list("day", "count"))


def play_url(recording: Recording) -> str:
    return reverse("webinars:recording_play", kwargs={"pk": recording.pk})


def today():
    return timezone.now().astimezone(UTC).date()


# ------------------------------------------------------------------------- plays


@pytest.mark.django_db
def test_the_link_counts_a_play_and_goes_to_the_video(client):
    recording = recording_of(held())
    response = client.get(play_url(recording))
    assert response.status_code == 302
    assert response["Location"] == YOUTUBE
    assert "no-cache" in response["Cache-Control"]  # each click comes back to be counted
    client.get(play_url(recording))
    assert plays(recording) == [(today(), 2)]


@pytest.mark.django_db
def test_the_beacon_counts_a_play_without_a_csrf_token():
    recording = recording_of(held())
    beacon = Client(enforce_csrf_checks=True)
    response = beacon.post(play_url(recording))
    assert response.status_code == 204
    assert response.content == b""
    assert plays(recording) == [(today(), 1)]


@pytest.mark.django_db
def test_a_link_checker_head_counts_nothing(client):
    recording = recording_of(held())
    assert client.head(play_url(recording)).status_code == 302
    assert plays(recording) == []


@pytest.mark.django_db
def test_a_recording_not_published_is_a_404_and_counts_nothing(client):
    recording = recording_of(held(), published=False)
    assert client.get(play_url(recording)).status_code == 404
    assert client.post(play_url(recording)).status_code == 404
    client.force_login(SecretariatFactory())  # not published: not played, even by them
    assert client.get(play_url(recording)).status_code == 404
    assert plays(recording) == []


@pytest.mark.django_db
def test_a_webinar_the_reader_may_not_see_is_a_404(client):
    recording = recording_of(WebinarFactory())  # the webinar is not published
    assert client.get(play_url(recording)).status_code == 404
    assert client.post(play_url(recording)).status_code == 404
    assert plays(recording) == []
    client.force_login(SecretariatFactory())  # who may see the unpublished webinar's page
    assert client.get(play_url(recording)).status_code == 302
    assert plays(recording) == [(today(), 1)]


@pytest.mark.django_db
def test_each_day_has_its_own_count(client):
    recording = recording_of(held())
    yesterday = today() - timedelta(days=1)
    RecordingPlays.objects.create(recording=recording, day=yesterday, count=7)
    client.post(play_url(recording))
    assert sorted(plays(recording)) == [(yesterday, 7), (today(), 1)]


@pytest.mark.django_db
def test_the_page_links_the_player_to_the_counter(client):
    webinar = held()
    recording = recording_of(webinar)
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert f'href="{play_url(recording)}" rel="nofollow noopener"' in page
    assert plays(recording) == []  # showing the page plays nothing


@pytest.fixture
def racing(transactional_db, tmp_path):
    recording = recording_of(held())
    with database_on_disk(tmp_path):
        yield recording


def test_plays_at_the_same_moment_all_count(racing):
    # No row for the day yet: every job may try to create it, and each still counts once.
    results = race(*([lambda: engagement.count_play(recording=racing)] * 8))
    assert results == [None] * 8
    assert plays(racing) == [(today(), 8)]
    results = race(*([lambda: engagement.count_play(recording=racing)] * 2))
    assert results == [None, None]
    assert plays(racing) == [(today(), 10)]


# ------------------------------------------------------------------------- downloads


@pytest.fixture
def material(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Material.objects.create(
        webinar=held(),
        title="Slides",
        file=ContentFile(pdf_bytes(), name="slides.pdf"),
        content_type="application/pdf",
        size=len(pdf_bytes()),
        visibility="members",
    )


def downloads(material) -> list[tuple[object, int]]:
    return list(MaterialDownloads.objects.filter(material=material).values_list("day", "count"))


def fetch(client, material, method="get"):
    response = getattr(client, method)(reverse("webinars:material", kwargs={"pk": material.pk}))
    if response.streaming:  # read to its end, as the test of the downloads does
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.django_db
def test_a_download_counts_when_the_file_is_served(client, material):
    assert fetch(client, material) == 302  # not signed in: asked to log in, nothing served
    assert downloads(material) == []
    client.force_login(member())
    assert fetch(client, material) == 200
    assert fetch(client, material) == 200
    assert fetch(client, material, "head") == 200  # a link checker: nothing downloaded
    assert downloads(material) == [(today(), 2)]


@pytest.mark.django_db
def test_a_download_refused_counts_nothing(client, material):
    material.visibility = "hosts"
    material.save(update_fields=["visibility"])
    client.force_login(member())
    assert fetch(client, material) == 404
    assert downloads(material) == []
