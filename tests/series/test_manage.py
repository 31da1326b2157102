"""The secretariat's own pages for series and calls (not the admin)."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.core.templatetags.deepdive import when
from deepdive.series.models import Call, Series
from deepdive.series.queries import call_initial, next_deadline

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(factories.secretariat())
    return client


@pytest.fixture
def applicable(action_group):
    return {
        "outcomes": factories.outcomes(action_group),
        "themes": factories.themes(),
        "sectors": factories.sectors(),
    }


def series_data(action_group, **changes) -> dict:
    return {
        "action_group": action_group.pk,
        "title": "Deep dive 2027",
        "slug": "",
        "description": "Webinars by members.",
        "languages": ["en", "fr"],
        "colour_primary": "#1e2dbe",
        "colour_accent": "#fa3c4b",
        "title_fr": "Plongée 2027",
        "description_fr": "Des webinaires des membres.",
        "title_es": "Inmersión 2027",
        "description_es": "",
        **changes,
    }


def call_data(applicable, **changes) -> dict:
    return {
        "title": "Call for proposals 2027",
        "slug": "",
        "description": "Propose a webinar.",
        "background": "",
        "who_may_apply": "",
        "title_fr": "Appel à propositions 2027",
        "description_fr": "",
        "background_fr": "",
        "who_may_apply_fr": "",
        "title_es": "",
        "description_es": "",
        "background_es": "",
        "who_may_apply_es": "",
        "timezone": "Europe/Zurich",
        "opens_local": "2027-03-01T09:00",
        "closes_local": "2027-03-28T12:00",
        "word_limit": 250,
        "seats": 8,
        "outcomes": [o.pk for o in applicable["outcomes"][:2]],
        "themes": [t.pk for t in applicable["themes"]],
        "sectors": [applicable["sectors"][0].pk],
        "co_submitters_must_confirm": "on",
        **changes,
    }


# ------------------------------------------------------------------------------ permissions


def urls(series, call) -> list[str]:
    return [
        reverse("series:manage_list"),
        reverse("series:manage_create"),
        reverse("series:manage_edit", kwargs={"slug": series.slug}),
        reverse("series:call_create", kwargs={"slug": series.slug}),
        reverse("series:call_edit", kwargs={"pk": call.pk}),
    ]


def test_anonymous_readers_are_sent_to_log_in(client, series, call):
    for url in urls(series, call):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("series:manage_create"), {}).status_code == 302


def test_others_are_refused(client, action_group, series, call):
    for user in (factories.someone(), factories.member(action_group)):
        client.force_login(user)
        for url in urls(series, call):
            assert client.get(url).status_code == 403, url
        assert client.post(urls(series, call)[-1], {}).status_code == 403
    assert not AuditEntry.objects.exists()


def test_the_secretariat_lists_every_series_and_its_calls(staff, series, call):
    Series.objects.create(
        action_group=series.action_group, slug="empty", title="Empty series", languages=["en"]
    )
    page = staff.get(reverse("series:manage_list")).content.decode()
    assert "Virtual deep dive series" in page and "Empty series" in page
    assert "This series has no call yet." in page
    assert call.title in page
    assert '<span class="badge">closed</span>' in page or "scheduled" in page or "open" in page
    assert f"{when(call.closes_at)}</time>" in page
    assert reverse("series:call_edit", kwargs={"pk": call.pk}) in page
    assert reverse("series:call_create", kwargs={"slug": series.slug}) in page
    assert f"/manage/calls/{call.pk}/proposals/" in page
    assert call.get_absolute_url() in page


# ----------------------------------------------------------------------------------- series


def test_create_a_series_with_texts_in_each_language(staff, action_group):
    response = staff.post(reverse("series:manage_create"), series_data(action_group))
    assert response.status_code == 302, response.context["form"].errors
    series = Series.objects.get()
    assert series.slug == "deep-dive-2027"  # made from the title
    assert series.languages == ["en", "fr"]
    # Spanish is not one of the series' languages: its text is not kept.
    assert series.texts == {
        "fr": {"title": "Plongée 2027", "description": "Des webinaires des membres."}
    }
    assert series.text("title", "fr") == "Plongée 2027"
    assert series.text("title", "es") == "Deep dive 2027"
    entry = AuditEntry.objects.get(action="series.create")
    assert "title" in entry.changes["fields"] and "texts" in entry.changes["fields"]


def test_the_first_language_ticked_is_the_main_one(staff, action_group):
    data = series_data(action_group, languages=["es", "fr"], title_fr="Plongée")
    data.pop("title_es"), data.pop("description_es")
    response = staff.post(reverse("series:manage_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    series = Series.objects.get()
    assert series.languages == ["fr", "es"]  # in the platform's order: French first
    assert series.texts == {}
    form = staff.get(reverse("series:manage_edit", kwargs={"slug": series.slug})).context["form"]
    assert "title_en" in form.fields and "title_es" in form.fields
    assert "title_fr" not in form.fields


def test_edit_a_series_records_the_changed_fields(staff, series):
    url = reverse("series:manage_edit", kwargs={"slug": series.slug})
    form = staff.get(url).context["form"]
    assert form["title"].value() == "Virtual deep dive series"
    data = series_data(
        series.action_group,
        title="Virtual deep dive series",
        slug=series.slug,
        languages=["en", "fr", "es"],
        colour_primary="#123456",
        colour_accent="#abcdef",
        title_es="",
    )
    assert staff.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="series.update")
    assert entry.changes["fields"] == ["colour_accent", "texts"]
    series.refresh_from_db()
    assert series.text("description", "fr") == "Des webinaires des membres."

    assert staff.post(url, data).status_code == 302  # nothing changed: no entry
    assert AuditEntry.objects.filter(action="series.update").count() == 1


def test_series_errors_are_shown_beside_the_fields_and_values_kept(staff, series, action_group):
    data = series_data(action_group, slug=series.slug, colour_primary="blue", languages=[])
    response = staff.post(reverse("series:manage_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"slug", "colour_primary", "languages"}
    page = response.content.decode()
    assert "Another series already has the address deep-dive-2026." in page
    assert 'value="Plongée 2027"' in page and "Webinars by members." in page
    assert Series.objects.count() == 1 and not AuditEntry.objects.exists()


def test_a_logo_must_be_an_image_of_at_most_1_mb(staff, action_group):
    data = series_data(action_group)
    data["logo"] = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = staff.post(reverse("series:manage_create"), data)
    assert "logo" in response.context["form"].errors
    data["logo"] = SimpleUploadedFile("big.png", b"0" * (1024 * 1024 + 1))
    response = staff.post(reverse("series:manage_create"), data)
    assert "the limit is 1 MB" in response.context["form"].errors["logo"][0]
    assert not Series.objects.exists()


# ------------------------------------------------------------------------------------ calls


def test_a_new_calls_form_starts_with_the_concept_notes_values(staff, series, applicable):
    response = staff.get(reverse("series:call_create", kwargs={"slug": series.slug}))
    form = response.context["form"]
    assert form["timezone"].value() == "Europe/Zurich"
    closes = form["closes_local"].value()
    assert (closes.month, closes.day, closes.hour, closes.minute) == (9, 30, 23, 59)
    assert form["word_limit"].value() == 250
    assert sorted(form["outcomes"].value()) == sorted(o.pk for o in applicable["outcomes"])
    assert len(form["themes"].value()) == 3
    assert form["co_submitters_must_confirm"].value() is True
    page = response.content.decode()
    assert "Outcome 4. Accelerating action in key countries and supply chains" in page
    assert 'name="title_fr"' in page and 'name="who_may_apply_es"' in page
    assert 'name="title_en"' not in page  # English is the series' main language


def test_the_deadline_is_the_next_30_september():
    assert next_deadline(datetime(2026, 5, 1, tzinfo=UTC), "Europe/Zurich") == datetime(
        2026, 9, 30, 23, 59
    )
    # 30 September 22:30 UTC is already 1 October in Zurich: next year's.
    assert next_deadline(datetime(2026, 9, 30, 22, 30, tzinfo=UTC), "Europe/Zurich").year == 2027


def test_outcomes_offered_are_those_of_the_series_action_group(series, applicable):
    from deepdive.series.forms import CallForm
    from tests.directory.factories import action_group

    other = factories.outcomes(action_group("migration", "Migration"))
    form = CallForm(series=series, instance=Call(series=series))
    offered = set(form.fields["outcomes"].queryset)
    assert offered == set(applicable["outcomes"]) and not offered & set(other)
    initial = call_initial(series, now=datetime(2026, 5, 1, tzinfo=UTC))
    assert len(initial["outcomes"]) == 4


def test_create_a_call_in_its_zone_with_texts_in_each_language(staff, series, applicable):
    url = reverse("series:call_create", kwargs={"slug": series.slug})
    response = staff.post(url, call_data(applicable))
    assert response.status_code == 302, response.context["form"].errors
    call = Call.objects.get()
    assert response["Location"] == call.get_absolute_url()
    assert call.slug == "call-for-proposals-2027"
    # 28 March 2027 is the day Zurich moves to summer time: 12:00 there is 10:00 UTC.
    assert call.closes_at == datetime(2027, 3, 28, 10, 0, tzinfo=UTC)
    assert call.opens_at == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    assert call.texts == {"fr": {"title": "Appel à propositions 2027"}}
    assert list(call.outcomes.values_list("number", flat=True)) == [1, 2]
    assert call.themes.count() == 3 and call.sectors.count() == 1
    assert call.co_submitters_must_confirm is True
    entry = AuditEntry.objects.get(action="call.create")
    assert entry.changes["closes_at"] == "2027-03-28T10:00:00+00:00"
    assert entry.changes["timezone"] == "Europe/Zurich"
    assert {"title", "texts", "outcomes", "closes_at"} <= set(entry.changes["fields"])


def test_a_time_in_the_spring_gap_is_refused_beside_its_field(staff, series, applicable):
    url = reverse("series:call_create", kwargs={"slug": series.slug})
    data = call_data(applicable, closes_local="2027-03-28T02:30", title="Kept title")
    response = staff.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["closes_local"]
    page = response.content.decode()
    assert "2027-03-28 02:30 does not exist in Europe/Zurich" in page
    # The error sits with its field, and what was typed is kept.
    error_at = page.index("does not exist in Europe/Zurich")
    assert page.rindex('for="id_closes_local"', 0, error_at) > page.rindex(
        'for="id_opens_local"', 0, error_at
    )
    assert 'value="Kept title"' in page and 'value="Appel à propositions 2027"' in page
    assert 'value="2027-03-28T02:30"' in page
    assert not Call.objects.exists() and not AuditEntry.objects.exists()


def test_an_ambiguous_autumn_time_takes_the_first_occurrence(staff, series, applicable):
    url = reverse("series:call_create", kwargs={"slug": series.slug})
    data = call_data(applicable, opens_local="2027-10-01T09:00", closes_local="2027-10-31T02:30")
    assert staff.post(url, data).status_code == 302
    assert Call.objects.get().closes_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_closing_before_opening_is_refused(staff, series, applicable):
    url = reverse("series:call_create", kwargs={"slug": series.slug})
    data = call_data(applicable, closes_local="2027-02-28T12:00")
    response = staff.post(url, data)
    assert response.context["form"].errors["closes_local"] == [
        "The call must close after it opens."
    ]
    assert not Call.objects.exists()


def test_a_call_needs_an_outcome_and_a_free_address(staff, series, call, applicable):
    url = reverse("series:call_create", kwargs={"slug": series.slug})
    response = staff.post(url, call_data(applicable, outcomes=[], slug=call.slug))
    assert set(response.context["form"].errors) == {"outcomes", "slug"}
    assert "Another call of this series already has the address 2026." in (
        response.content.decode()
    )


def test_edit_a_call_records_the_changed_fields(staff, call, applicable):
    url = reverse("series:call_edit", kwargs={"pk": call.pk})
    form = staff.get(url).context["form"]
    # The stored instants are shown in the call's zone, not the reader's.
    assert form["closes_local"].value() == datetime(2026, 9, 30, 23, 59)
    data = call_data(
        applicable,
        title=call.title,
        slug=call.slug,
        description="",
        title_fr="",
        opens_local="2026-09-01T09:00",
        closes_local="2026-10-15T12:00",
        outcomes=[o.pk for o in applicable["outcomes"]],
        sectors=[],
        themes=[],
        co_submitters_must_confirm="on",
    )
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    call.refresh_from_db()
    assert call.closes_at == datetime(2026, 10, 15, 10, 0, tzinfo=UTC)
    entry = AuditEntry.objects.get(action="call.update")
    assert entry.changes["fields"] == ["closes_at", "outcomes"]
    assert entry.changes["closes_at"] == "2026-10-15T10:00:00+00:00"


def test_unknown_series_or_call_is_404(staff):
    assert staff.get(reverse("series:manage_edit", kwargs={"slug": "nope"})).status_code == 404
    assert staff.get(reverse("series:call_create", kwargs={"slug": "nope"})).status_code == 404
    assert staff.get(reverse("series:call_edit", kwargs={"pk": 999})).status_code == 404
