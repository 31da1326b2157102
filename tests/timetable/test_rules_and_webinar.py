"""The rules form (defaults prefilled, errors beside the field with the values kept) and a
webinar's timetable facts (length, audience table, members only, joining link)."""

import html
from datetime import date, time

import pytest
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.timetable.models import TimetableRules
from deepdive.timetable.optimiser_input import default_period

from .conftest import make_webinar

pytestmark = pytest.mark.django_db


def rules_data(**changes):
    data = {
        "reference_timezone": "Europe/Paris",
        "first_date": "2027-01-11",
        "last_date": "2027-03-26",
        "weekdays": ["1", "2", "3", "4"],
        "window_start": "09:00",
        "window_end": "18:00",
        "excluded": "12:30-14:00",
        "step_minutes": "30",
        "min_days_between": "6",
        "blackout": "2027-01-01 New Year's Day\n2027-02-15 Board meeting",
        "audience_start": "08:00",
        "audience_end": "20:00",
    }
    data.update(changes)
    return data


def test_the_form_is_prefilled_with_the_defaults(client, secretariat, call):
    client.force_login(secretariat)
    response = client.get(reverse("timetable:rules", args=[call.pk]))
    page = response.content.decode()
    first, last = default_period()
    assert f'value="{first.isoformat()}"' in page and f'value="{last.isoformat()}"' in page
    assert 'value="09:00"' in page and 'value="18:00"' in page
    assert "12:30-14:00" in page
    assert 'name="reference_timezone" value="Europe/Paris"' in page
    assert "These are the defaults from the partners" in page
    for n in range(1, 6):
        assert f'value="{n}" id="id_weekdays_{n - 1}" checked' in page
    assert 'value="6" id="id_weekdays_5" checked' not in page


def test_saving_the_rules(client, secretariat, call):
    client.force_login(secretariat)
    response = client.post(reverse("timetable:rules", args=[call.pk]), rules_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("timetable:plan", args=[call.pk])
    rules = TimetableRules.objects.get(call=call)
    assert rules.first_date == date(2027, 1, 11)
    assert rules.weekdays == [1, 2, 3, 4]
    assert rules.excluded == [["12:30", "14:00"]]
    assert rules.min_days_between == 6
    assert rules.blackout == [
        {"date": "2027-01-01", "label": "New Year's Day"},
        {"date": "2027-02-15", "label": "Board meeting"},
    ]
    assert rules.window_end == time(18, 0)
    assert AuditEntry.objects.filter(action="timetable.rules_saved").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_date": "2027-01-01"}, "last_date", "The last date comes before the first date."),
        ({"window_end": "08:00"}, "window_end", "The latest end must come after the earliest"),
        ({"excluded": "14:00-12:30"}, "excluded", "the end of an excluded time must come after"),
        ({"excluded": "lunch"}, "excluded", "Write each excluded time as 12:30-14:00"),
        ({"blackout": "Easter Monday 2027-04-05"}, "blackout", "Start each line with a date"),
        ({"weekdays": []}, "weekdays", "This field is required."),
        ({"step_minutes": "2"}, "step_minutes", "greater than or equal to 5"),
        ({"audience_end": "07:00"}, "audience_end", "must come after their start"),
        ({"reference_timezone": "Mars/Olympus"}, "reference_timezone", "not a time zone we know"),
    ],
)
def test_errors_are_beside_the_field_and_the_values_kept(
    client, secretariat, call, changes, field, message
):
    client.force_login(secretariat)
    response = client.post(reverse("timetable:rules", args=[call.pk]), rules_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    page = html.unescape(response.content.decode())
    assert f'id="id_{field}_errors"' in page
    assert "2027-02-15 Board meeting" in page or field == "blackout"
    assert 'value="2027-01-11"' in page
    assert not TimetableRules.objects.filter(call=call).exists()


def test_the_webinar_page_edits_length_audience_and_link(client, secretariat, call):
    webinar = make_webinar(
        call, countries=["GH"], available=[["2027-01-11", "2027-01-29"]], unavailable=["2027-01-14"]
    )
    client.force_login(secretariat)
    url = reverse("timetable:webinar", args=[webinar.pk])
    page = html.unescape(client.get(url).content.decode())
    assert "From 11 January 2027 to 29 January 2027; not on 14 January 2027" in page
    assert 'name="zone_0" value="Africa/Accra"' in page
    assert "Use the default audience" in page

    response = client.post(
        url,
        {
            "minutes": "45",
            "members_only": "on",
            "joining_url": "meet.example.org/j/999",
            "zone_0": "Africa/Accra",
            "weight_0": "60",
            "zone_1": "Asia/Kathmandu",
            "weight_1": "40",
            "zone_2": "",
            "weight_2": "",
            "action": "save",
        },
    )
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert webinar.minutes == 45
    assert webinar.audience == {"Africa/Accra": 60, "Asia/Kathmandu": 40}
    assert webinar.audience_edited
    assert webinar.joining_url == "https://meet.example.org/j/999"
    assert webinar.members_only

    response = client.post(url, {"action": "default"})
    webinar.refresh_from_db()
    assert not webinar.audience_edited and webinar.audience == {}
    assert webinar.minutes == 45  # the rest is untouched


def test_audience_rows_with_errors_keep_their_values(client, secretariat, call):
    webinar = make_webinar(call, audience={"Europe/Paris": 100})
    client.force_login(secretariat)
    url = reverse("timetable:webinar", args=[webinar.pk])
    response = client.post(
        url,
        {
            "minutes": "60",
            "joining_url": "",
            "zone_0": "Europe/Paris",
            "weight_0": "",
            "zone_1": "",
            "weight_1": "30",
            "zone_2": "Asia/Tokyo",
            "weight_2": "-5",
            "zone_3": "Asia/Tokyo",
            "weight_3": "10",
            "zone_4": "Asia/Tokyo",
            "weight_4": "5",
            "action": "save",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["weight_0"] == ["Give this zone a weight."]
    assert errors["zone_1"] == ["Choose the zone this weight is for."]
    assert errors["weight_2"] == ["Ensure this value is greater than or equal to 0."]
    assert errors["zone_4"] == ["This zone is already in the table."]
    page = response.content.decode()
    assert 'value="30"' in page and 'value="-5"' in page
    webinar.refresh_from_db()
    assert webinar.audience == {"Europe/Paris": 100}


def test_saving_the_default_unchanged_keeps_following_the_directory(client, secretariat, call):
    webinar = make_webinar(call, countries=["GH"])
    client.force_login(secretariat)
    url = reverse("timetable:webinar", args=[webinar.pk])
    client.post(
        url,
        {"minutes": "60", "zone_0": "Africa/Accra", "weight_0": "100", "action": "save"},
    )
    webinar.refresh_from_db()
    assert not webinar.audience_edited
