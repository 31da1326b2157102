"""The demo writes its series and calls in English, French and Spanish: a French or Spanish
reader sees no English left over."""

import pytest
from django.conf import settings
from django.urls import reverse

from deepdive.demo.operations import load_demo
from deepdive.series.models import Call, Series

pytestmark = pytest.mark.django_db

FIELDS = ("title", "description")


@pytest.fixture
def demo():
    load_demo(password="demo-pass-123")
    return Series.objects.get(slug="supply-chains-deep-dive")


def test_every_text_is_written_in_the_three_languages(client, demo):
    calls = list(demo.calls.all())
    assert len(calls) == 5
    for obj in [demo, *calls]:
        for language in ("fr", "es"):
            for field in FIELDS:
                text = obj.text(field, language)
                assert text and text != getattr(obj, field), (obj, language, field)
                assert not obj.local_text(field, language).fallback
    open_call = next(c for c in calls if c.slug.startswith("call-"))
    for field in ("background", "who_may_apply"):
        texts = {open_call.text(field, language) for language in ("en", "fr", "es")}
        assert len(texts) == 3 and all(texts)
    year = open_call.slug.removeprefix("call-")
    assert open_call.text("title", "fr") == f"Appel à propositions de webinaires {year}"
    # The public pages, in French and in Spanish: nothing falls back to English.
    urls = [reverse("core:home"), demo.get_absolute_url()]
    urls += [call.get_absolute_url() for call in calls]
    for language in ("fr", "es"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in urls:
            page = client.get(url).content.decode()
            assert "text-fallback" not in page, (language, url)
            assert demo.title not in page, (language, url)


def test_a_demo_loaded_before_the_translations_gets_them(demo):
    Series.objects.filter(pk=demo.pk).update(texts={})
    Call.objects.filter(series=demo).update(texts={}, background="", who_may_apply="")
    assert not any(load_demo().values())  # nothing is created twice
    demo.refresh_from_db()
    assert demo.text("title", "es") == (
        "Serie de talleres Deep Dive del Grupo de Acción sobre Cadenas de Suministro"
    )
    for call in demo.calls.all():
        assert call.local_text("description", "fr").language == "fr"
