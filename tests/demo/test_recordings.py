"""The demo after the webinar (issues 13 and 14): the pilot's first webinar has its recording
published with captions in English, French and Spanish, so the public library is not empty;
the two other held webinars have none, for the secretariat to publish one with the sample SRT
file ``deepdive demo`` writes; the series' cards carry its branding."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from deepdive.accounts.models import User
from deepdive.communications.models import Branding
from deepdive.core.models import AuditEntry
from deepdive.demo.operations import load_demo
from deepdive.demo.recordings import FOLDER, RECORDED, SAMPLE_FOR, sample_file_name
from deepdive.demo.selected import PILOT_SLUG
from deepdive.webinars import recordings
from deepdive.webinars.models import Captions, Recording, Webinar

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"


def pilot(title: str) -> Webinar:
    return Webinar.objects.get(proposal__call__slug=PILOT_SLUG, proposal__title=title)


def test_the_pilots_first_recording_is_in_the_library_and_loading_again_adds_nothing(client):
    created = load_demo(password=PASSWORD)
    assert created["recordings"] == 1
    assert created["brandings"] == 1

    webinar = pilot(RECORDED)
    assert webinar.state == Webinar.State.RECORDING_PUBLISHED
    recording = Recording.objects.get(webinar=webinar)
    assert recording.language == "en" and recording.is_published
    assert recording.url.startswith("https://www.youtube.com/watch?v=")
    assert sorted(recording.captions.values_list("language", flat=True)) == ["en", "es", "fr"]
    others = Webinar.objects.filter(proposal__call__slug=PILOT_SLUG).exclude(pk=webinar.pk)
    assert [w.state for w in others] == [Webinar.State.HELD, Webinar.State.HELD]
    assert not Recording.objects.filter(webinar__in=others).exists()
    # Published by the webinar's host, through the service.
    entry = AuditEntry.objects.get(action="webinars.recording_published")
    assert entry.actor.email.endswith(webinar.proposal.lead_organisation.domains.get().domain)

    library = client.get(reverse("webinars:library")).content.decode()
    assert RECORDED.replace("'", "&#x27;") in library
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert "Play the recording (loads from YouTube)" in page and "<iframe" not in page
    french = recording.captions.get(language="fr")
    transcript = client.get(reverse("webinars:transcript", kwargs={"pk": french.pk}))
    text = transcript.content.decode()
    assert "Grace Namutebi" in text
    assert "Des comités villageois visitent chaque exploitation pendant la récolte." in text

    counts = (Recording.objects.count(), Captions.objects.count(), Branding.objects.count())
    again = load_demo(password=PASSWORD)
    assert again["recordings"] == 0 and again["brandings"] == 0
    assert (Recording.objects.count(), Captions.objects.count(), Branding.objects.count()) == (
        counts
    )


def test_the_series_cards_show_its_branding(client):
    load_demo(password=PASSWORD)
    webinar = pilot(RECORDED)
    branding = Branding.objects.get(series=webinar.call.series)
    assert (branding.colour_primary, branding.colour_accent) == ("#1e2dbe", "#ffcd2d")

    response = client.get(reverse("communications:card", args=[webinar.pk, "en", "preview", "png"]))
    card = Image.open(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).convert("RGB")
    band = int(min(card.size) * 0.16)  # the banner, then the accent's line under it
    assert card.getpixel((2, 2)) == (0x1E, 0x2D, 0xBE)
    assert card.getpixel((2, band + 1)) == (0xFF, 0xCD, 0x2D)


def test_the_secretariat_publishes_a_recording_with_the_sample_captions(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo", "--no-serve")
    printed = capsys.readouterr().out
    path = tmp_path / FOLDER / sample_file_name(SAMPLE_FOR)
    assert str(path) in printed
    assert path.read_text(encoding="utf-8").startswith("1\n00:00:02,000 --> 00:00:08,000\n")

    secretariat = User.objects.get(email="secretariat@example.org")
    webinar = pilot(SAMPLE_FOR)
    recording = recordings.add_recording(
        actor=secretariat,
        webinar=webinar,
        url="https://www.youtube.com/watch?v=DeepDemoVn2",
        language="en",
    )
    captions = recordings.save_captions(
        actor=secretariat, recording=recording, language="en", text=path.read_bytes()
    )
    recordings.publish(actor=secretariat, recording=recording)

    assert captions.vtt.startswith("WEBVTT")
    assert captions.vtt.count(" --> ") == 8
    assert pilot(SAMPLE_FOR).state == Webinar.State.RECORDING_PUBLISHED
