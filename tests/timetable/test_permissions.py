"""Only the secretariat sees or changes the timetable: others get 403 on every page and every
action, anonymous readers the log-in page; objects outside a timetable are 404."""

import pytest
from django.urls import reverse

from deepdive.selection.models import Decision
from deepdive.timetable.models import TimetableRules, TimetableRun
from tests.accounts.factories import UserFactory as AccountFactory

from .conftest import make_webinar, verified_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(call, rules):
    return make_webinar(call)


def pages(call, webinar):
    return [
        ("get", reverse("timetable:plan", args=[call.pk]), {}),
        ("get", reverse("timetable:rules", args=[call.pk]), {}),
        ("post", reverse("timetable:rules", args=[call.pk]), {"first_date": "2027-01-01"}),
        ("post", reverse("timetable:run", args=[call.pk]), {}),
        ("post", reverse("timetable:publish", args=[call.pk]), {}),
        ("get", reverse("timetable:webinar", args=[webinar.pk]), {}),
        ("post", reverse("timetable:webinar", args=[webinar.pk]), {"action": "default"}),
        (
            "get",
            reverse("timetable:move", args=[webinar.pk]),
            {"date": "2027-01-12", "time": "10:00"},
        ),
        (
            "post",
            reverse("timetable:move", args=[webinar.pk]),
            {"date": "2027-01-12", "time": "10:00"},
        ),
    ]


def test_members_and_hosts_get_403_everywhere(client, call, webinar):
    host = verified_contact(webinar.proposal.lead_organisation)
    for person in (AccountFactory(), host, webinar.proposal.created_by):
        client.force_login(person)
        for method, url, data in pages(call, webinar):
            response = getattr(client, method)(url, data)
            assert response.status_code == 403, (person, method, url)
    webinar.refresh_from_db()
    assert webinar.planned_start is None and not webinar.is_published
    assert not TimetableRun.objects.exists()
    assert TimetableRules.objects.get(call=call).first_date.year == 2027


def test_anonymous_readers_are_sent_to_log_in(client, call, webinar):
    for method, url, data in pages(call, webinar):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_webinars_outside_a_timetable_and_unknown_calls_are_404(client, secretariat, call):
    declined = make_webinar(call, host_status=Decision.HostStatus.DECLINED)
    client.force_login(secretariat)
    assert client.get(reverse("timetable:webinar", args=[declined.pk])).status_code == 404
    assert client.get(reverse("timetable:move", args=[declined.pk])).status_code == 404
    assert client.get(reverse("timetable:webinar", args=[99999])).status_code == 404
    assert client.get(reverse("timetable:plan", args=[99999])).status_code == 404
    assert client.post(reverse("timetable:run", args=[99999])).status_code == 404


def test_actions_take_post_only(client, secretariat, call, webinar):
    client.force_login(secretariat)
    assert client.get(reverse("timetable:run", args=[call.pk])).status_code == 405
    assert client.get(reverse("timetable:publish", args=[call.pk])).status_code == 405


def test_the_services_refuse_anyone_but_the_secretariat(call, webinar):
    from django.core.exceptions import PermissionDenied

    from deepdive.timetable import operations
    from deepdive.webinars import operations as webinar_operations

    member = AccountFactory()
    with pytest.raises(PermissionDenied):
        operations.run(actor=member, call=call)
    with pytest.raises(PermissionDenied):
        operations.publish(actor=member, call=call)
    with pytest.raises(PermissionDenied):
        webinar_operations.update_webinar(
            actor=member,
            webinar=webinar,
            minutes=45,
            audience=None,
            members_only=True,
            joining_url="",
        )
