"""Recognising a recording's address: each provider's forms of address, the embed address
(YouTube through its privacy-enhanced domain), and addresses that are not a video."""

import pytest

from deepdive.webinars.interfaces.video import NotAVideo, recognise


@pytest.mark.parametrize(
    "address",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "http://www.youtube.com/live/dQw4w9WgXcQ",
    ],
)
def test_youtube_addresses_embed_through_nocookie(address):
    video = recognise(address)
    assert (video.provider, video.video_id) == ("youtube", "dQw4w9WgXcQ")
    assert video.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert video.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert video.origin == "https://www.youtube-nocookie.com"


@pytest.mark.parametrize(
    "address",
    [
        "https://vimeo.com/76979871",
        "https://www.vimeo.com/76979871?share=copy",
        "https://player.vimeo.com/video/76979871",
        "https://vimeo.com/channels/staffpicks/76979871",
    ],
)
def test_vimeo_addresses(address):
    video = recognise(address)
    assert (video.provider, video.video_id) == ("vimeo", "76979871")
    assert video.embed_url == "https://player.vimeo.com/video/76979871?dnt=1"


def test_unlisted_vimeo_video_keeps_its_hash():
    video = recognise("https://vimeo.com/76979871/a1b2c3d4e5")
    assert video.url == "https://vimeo.com/76979871/a1b2c3d4e5"
    assert video.embed_url == "https://player.vimeo.com/video/76979871?dnt=1&h=a1b2c3d4e5"


@pytest.mark.parametrize(
    ("address", "video_id"),
    [
        ("https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv", "kkGMgK9ZtnKfYAgnEtQxbv"),
        (
            "https://peertube.example.org/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "9c9de5e8-0a1e-484a-b099-e80766180a6d",
        ),
    ],
)
def test_peertube_addresses_on_any_host(address, video_id):
    video = recognise(address)
    assert (video.provider, video.video_id) == ("peertube", video_id)
    host = address.split("/")[2]
    assert video.embed_url == f"https://{host}/videos/embed/{video_id}"
    assert video.origin == f"https://{host}"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("https://media.example.org/webinars/cocoa.mp4", "video/mp4"),
        ("https://media.example.org/webinars/cocoa.WEBM?download=1", "video/webm"),
    ],
)
def test_video_file_over_https(address, kind):
    video = recognise(address)
    assert (video.provider, video.video_id, video.embed_url) == ("file", "", address)
    assert video.is_file and video.file_type == kind


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("", "not_an_address"),
        ("youtube.com/watch?v=dQw4w9WgXcQ", "not_an_address"),
        ("ftp://media.example.org/cocoa.mp4", "not_an_address"),
        ("https://www.youtube.com/", "not_a_video"),
        ("https://www.youtube.com/watch?v=short", "not_a_video"),
        ("https://www.youtube.com/channel/UC123", "not_a_video"),
        ("https://vimeo.com/staff", "not_a_video"),
        ("https://www.example.org/our-webinar", "not_a_video"),
        ("https://www.example.org/slides.pdf", "not_a_video"),
        ("http://media.example.org/cocoa.mp4", "not_https"),
        ("http://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv", "not_https"),
        ("https://framatube.org/w/not-an-id", "not_a_video"),
    ],
)
def test_addresses_that_are_not_a_video(address, reason):
    with pytest.raises(NotAVideo) as refused:
        recognise(address)
    assert refused.value.reason == reason
