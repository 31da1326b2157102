from datetime import UTC, datetime

import pytest
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.core.templatetags.deepdive import when
from deepdive.series.forms import CallAdminForm
from deepdive.series.models import Call, Series

pytestmark = pytest.mark.django_db


def call_data(series, **changes) -> dict:
    return {
        "series": series.pk,
        "title": "Call 2027",
        "slug": "call-2027",
        "description": "",
        "timezone": "Europe/Zurich",
        "opens_local": "2026-09-01T09:00",
        "closes_local": "2026-09-30T23:59",
        "word_limit": 250,
        "seats": 8,
        **changes,
    }


def test_add_call_takes_times_in_the_calls_zone(superuser_client, series):
    response = superuser_client.post(reverse("admin:series_call_add"), call_data(series))
    assert response.status_code == 302, response.context["adminform"].form.errors
    call = Call.objects.get(slug="call-2027")
    assert call.opens_at == datetime(2026, 9, 1, 7, 0, tzinfo=UTC)
    assert call.closes_at == datetime(2026, 9, 30, 21, 59, tzinfo=UTC)
    assert call.timezone == "Europe/Zurich"
    entry = AuditEntry.objects.get(action="call.create")
    assert entry.changes["closes_at"] == "2026-09-30T21:59:00+00:00"


def test_another_zone_gives_another_instant(superuser_client, series):
    data = call_data(series, timezone="America/New_York", closes_local="2027-11-07T01:30")
    assert superuser_client.post(reverse("admin:series_call_add"), data).status_code == 302
    # Ambiguous (clocks go back at 02:00): the first occurrence, still daylight time.
    assert Call.objects.get().closes_at == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)


def test_a_time_in_the_spring_gap_is_refused_beside_the_field(superuser_client, series):
    data = call_data(series, opens_local="2027-03-28T02:30", closes_local="2027-04-30T12:00")
    response = superuser_client.post(reverse("admin:series_call_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["opens_local"]
    assert "2027-03-28 02:30 does not exist in Europe/Zurich" in errors["opens_local"][0]
    assert "does not exist in Europe/Zurich" in response.content.decode()
    assert not Call.objects.exists()


def test_an_ambiguous_autumn_time_takes_the_first_occurrence(series):
    form = CallAdminForm(
        data=call_data(series, opens_local="2027-10-01T09:00", closes_local="2027-10-31T02:30")
    )
    assert form.is_valid(), form.errors
    call = form.save()
    assert call.closes_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_closing_must_come_after_opening(superuser_client, series):
    data = call_data(series, opens_local="2026-09-30T23:59", closes_local="2026-09-30T23:59")
    response = superuser_client.post(reverse("admin:series_call_add"), data)
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["closes_local"]
    assert errors["closes_local"] == ["The call must close after it opens."]


def test_closing_is_compared_as_instants_not_wall_clocks(series):
    # 01:00 in Kathmandu closes after 00:00 of... the same zone, but check across a change:
    # opening at 01:59 and closing at 03:00 on the spring-forward night is one minute.
    form = CallAdminForm(
        data=call_data(series, opens_local="2027-03-28T01:59", closes_local="2027-03-28T03:00")
    )
    assert form.is_valid(), form.errors
    assert (form.instance.closes_at - form.instance.opens_at).total_seconds() == 60


def test_unknown_zone_is_refused(series):
    form = CallAdminForm(data=call_data(series, timezone="Mars/Base"))
    assert not form.is_valid()
    assert "timezone" in form.errors


def test_change_form_shows_stored_instants_in_the_calls_zone(superuser_client, call):
    response = superuser_client.get(reverse("admin:series_call_change", args=[call.pk]))
    page = response.content.decode()
    assert 'name="closes_local" value="2026-09-30T23:59"' in page
    assert 'name="opens_local" value="2026-09-01T09:00"' in page
    assert 'type="datetime-local"' in page

    data = call_data(call.series, title="Renamed", slug=call.slug, timezone="Asia/Tokyo")
    response = superuser_client.post(reverse("admin:series_call_change", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "Renamed"
    assert call.closes_at == datetime(2026, 9, 30, 14, 59, tzinfo=UTC)
    assert AuditEntry.objects.filter(action="call.update", object_id=str(call.pk)).exists()


def test_call_changelist_shows_times_in_the_calls_zone(superuser_client, call):
    page = superuser_client.get(reverse("admin:series_call_changelist")).content.decode()
    assert f'<td class="field-closes">{when(call.closes_at, "Europe/Zurich")}</td>' in page


def test_series_admin_add_and_colour_validation(superuser_client, action_group):
    url = reverse("admin:series_series_add")
    data = {
        "action_group": action_group.pk,
        "slug": "migration",
        "title": "Migration series",
        "description": "",
        "languages": '["en"]',
        "colour_primary": "#12345",
        "colour_accent": "#abcdef",
        "calls-TOTAL_FORMS": 0,
        "calls-INITIAL_FORMS": 0,
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "colour_primary" in response.context["adminform"].form.errors
    response = superuser_client.post(url, {**data, "colour_primary": "#123456"})
    assert response.status_code == 302
    series = Series.objects.get(slug="migration")
    assert AuditEntry.objects.filter(action="series.create", object_id=str(series.pk)).exists()


def test_series_change_page_lists_its_calls(superuser_client, call):
    page = superuser_client.get(
        reverse("admin:series_series_change", args=[call.series.pk])
    ).content.decode()
    assert "Call for proposals 2026" in page
    assert "(Europe/Zurich, UTC+02:00)" in page


def test_admin_is_for_staff(client, django_user_model, call):
    user = django_user_model.objects.create_user(email="m@example.org", password="x-12345-y")
    client.force_login(user)
    response = client.get(reverse("admin:series_call_change", args=[call.pk]))
    assert response.status_code == 302
