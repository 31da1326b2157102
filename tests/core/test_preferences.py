"""Every time in the reader's zone, with the zone named; the language choice sticks."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from deepdive.core.templatetags.deepdive import when

pytestmark = pytest.mark.django_db


def test_page_names_utc_when_the_zone_is_unknown(client):
    response = client.get("/")
    assert "Times are shown in your time zone: <strong>UTC</strong>" in response.text


def test_zone_from_the_browser_cookie_is_used_and_named(client):
    client.cookies["deepdive_tz"] = "Asia/Kathmandu"
    response = client.get("/")
    assert "<strong>Asia/Kathmandu</strong>" in response.text


def test_an_invalid_zone_cookie_is_ignored(client):
    client.cookies["deepdive_tz"] = "Mars/Olympus"
    assert "<strong>UTC</strong>" in client.get("/").text


def test_profile_zone_wins_over_the_cookie(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="a@example.net", password="x-long-pass-123", timezone="America/Mexico_City"
    )
    client.force_login(user)
    client.cookies["deepdive_tz"] = "Asia/Kathmandu"
    assert "<strong>America/Mexico_City</strong>" in client.get("/").text


def test_anonymous_reader_chooses_a_zone_by_hand(client):
    response = client.post(reverse("core:timezone"), {"timezone": "Pacific/Fiji", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["deepdive_tz"].value == "Pacific/Fiji"
    bad = client.post(reverse("core:timezone"), {"timezone": "Nowhere/Land"})
    assert bad.status_code == 200
    assert "“Nowhere/Land” is not a time zone we know" in bad.text
    assert 'value="Nowhere/Land"' in bad.text


def test_when_shows_the_local_time_with_zone_and_offset_across_daylight_saving():
    winter = datetime(2027, 1, 12, 13, 0, tzinfo=UTC)
    summer = datetime(2027, 7, 12, 13, 0, tzinfo=UTC)
    assert "14:00" in when(winter, "Europe/Paris") and "UTC+01:00" in when(winter, "Europe/Paris")
    assert "15:00" in when(summer, "Europe/Paris") and "UTC+02:00" in when(summer, "Europe/Paris")
    assert "Europe/Paris" in when(summer, "Europe/Paris")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Annuaire des partenaires"),
        ("es", "Directorio de socios"),
        ("en", "Partner directory"),
    ],
)
def test_language_switch_sticks_in_a_cookie(client, language, text):
    response = client.post(reverse("core:set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == language
    assert text in client.get("/").text


def test_language_switch_is_kept_in_the_profile(client, django_user_model):
    user = django_user_model.objects.create_user(email="b@example.net", password="x-long-pass-1")
    client.force_login(user)
    client.post(reverse("core:set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"


def test_language_switch_refuses_an_outside_redirect(client):
    response = client.post(
        reverse("core:set_language"), {"language": "fr", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_manage_is_for_the_secretariat_only(client, django_user_model):
    assert client.get(reverse("core:manage")).status_code == 302
    member = django_user_model.objects.create_user(email="m@example.net", password="x-pass-123")
    client.force_login(member)
    assert client.get(reverse("core:manage")).status_code == 403
    member.is_secretariat = True
    member.save()
    assert client.get(reverse("core:manage")).status_code == 200


def test_an_old_zone_name_from_the_browser_is_shown_by_its_current_name(client):
    # Chromium still reports Nepal as Asia/Katmandu, a link to Asia/Kathmandu
    client.cookies["deepdive_tz"] = "Asia/Katmandu"
    page = client.get("/").content.decode()
    assert "Asia/Kathmandu" in page
    assert "Katmandu" not in page


def test_a_get_link_does_not_change_the_language_stored_on_the_account(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="c@example.net", password="x-long-pass-1", language="fr"
    )
    client.force_login(user)
    response = client.get(reverse("core:set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"
    # the switch still works for this session
    assert "Directorio de socios" in client.get("/").text


def test_signed_in_readers_post_the_language_switch(client, django_user_model):
    user = django_user_model.objects.create_user(email="d@example.net", password="x-long-pass-1")
    client.force_login(user)
    page = client.get("/").text
    assert 'class="lang-switch" method="post"' in page
    assert 'name="csrfmiddlewaretoken"' in page.split('class="lang-switch"')[1].split("</form>")[0]
    client.logout()
    assert 'class="lang-switch" method="get"' in client.get("/").text
