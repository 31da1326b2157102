"""Series and call texts in the reader's language; a missing one shows the English (else the
series' first language), marked for the eye ("(in English)") and for screen readers
(``lang``)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from deepdive.series.models import Call, Series
from deepdive.series.texts import LocalText, fallback_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(series):
    """The series in French too; its call with a French title only."""
    series.texts = {
        "fr": {"title": "Série virtuelle d'approfondissement", "description": "Des webinaires."}
    }
    series.save(update_fields=["texts"])
    now = timezone.now()
    return Call.objects.create(
        series=series,
        slug="open",
        title="Open call",
        description="Propose a webinar.",
        texts={"fr": {"title": "Appel ouvert"}},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        timezone="Europe/Zurich",
    )


def read(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def marked(text: str, *, lang: str, reader: str) -> str:
    """How a title missing in the reader's language shows."""
    with translation.override(reader):
        note = fallback_note(lang)
    return f'<span lang="{lang}">{text}</span> <span class="muted text-fallback">({note})</span>'


def test_a_french_reader_sees_the_french_titles(client, series, translated):
    call_page = read(client, translated.get_absolute_url(), "fr")
    assert "<h1>Appel ouvert</h1>" in call_page
    assert ">Série virtuelle d&#x27;approfondissement</a>" in call_page
    series_page = read(client, series.get_absolute_url(), "fr")
    assert "<h1>Série virtuelle d&#x27;approfondissement</h1>" in series_page
    assert "<title>Série virtuelle d&#x27;approfondissement" in series_page
    assert ">Appel ouvert</a>" in series_page
    assert "<p>Des webinaires.</p>" in series_page
    home = read(client, reverse("core:home"), "fr")
    assert ">Série virtuelle d&#x27;approfondissement</a>" in home and ">Appel ouvert</a>" in home


def test_a_text_missing_in_french_shows_the_english_marked(client, translated):
    page = read(client, translated.get_absolute_url(), "fr")
    with translation.override("fr"):
        note = fallback_note("en")
    assert (
        '<div class="lead"><div lang="en"><p>Propose a webinar.</p></div>'
        f'<p class="muted text-fallback">({note})</p></div>'
    ) in page


def test_a_spanish_reader_sees_the_english_with_a_marker(client, series, translated):
    page = read(client, translated.get_absolute_url(), "es")
    assert f"<h1>{marked('Open call', lang='en', reader='es')}</h1>" in page
    assert "Appel ouvert" not in page
    series_page = read(client, series.get_absolute_url(), "es")
    title = marked("Virtual deep dive series", lang="en", reader="es")
    assert f"<h1>{title}</h1>" in series_page
    assert "<title>Virtual deep dive series" in series_page  # the bare text in the title
    assert f">{marked('Open call', lang='en', reader='es')}</a>" in series_page
    home = read(client, reverse("core:home"), "es")
    assert f">{title}</a>" in home


def test_an_english_reader_sees_no_marker(client, series, translated):
    page = read(client, translated.get_absolute_url(), "en")
    assert "<h1>Open call</h1>" in page
    assert "text-fallback" not in page
    assert "text-fallback" not in read(client, series.get_absolute_url(), "en")


def test_a_series_written_in_french_first_falls_back_to_french(client, action_group):
    series = Series.objects.create(
        action_group=action_group,
        slug="serie",
        title="Série en français",
        languages=["fr", "es"],
        texts={"es": {"title": "Serie en español"}},
    )
    assert "<h1>Serie en español</h1>" in read(client, series.get_absolute_url(), "es")
    page = read(client, series.get_absolute_url(), "en")
    assert f"<h1>{marked('Série en français', lang='fr', reader='en')}</h1>" in page
    assert "(in French)" in page


def test_english_comes_before_the_first_language(action_group):
    series = Series(
        action_group=action_group,
        title="Série",
        languages=["fr", "en"],
        texts={"en": {"title": "Series"}},
    )
    assert series.local_text("title", "es") == LocalText("Series", "en", fallback=True)
    assert series.local_text("title", "fr") == LocalText("Série", "fr")
    assert series.text("title", "es") == "Series"


def test_an_empty_text_is_empty_in_every_language(action_group):
    series = Series(action_group=action_group, title="Series", languages=["en"])
    assert not series.local_text("description", "fr")


def test_markup_in_a_text_is_escaped():
    text = LocalText("<b>x</b>", "en", fallback=True)
    assert "<b>" not in text.inline and "&lt;b&gt;x&lt;/b&gt;" in text.inline
    assert "<b>" not in text.block
