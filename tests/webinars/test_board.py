"""The secretariat's board of a series (what it shows, its filters, who may see it) and the
reminders to the hosts (21, 14 and 7 days before, once each, in the host's language; and by
hand from the board)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.core.scheduling import periodic
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import board, host_reminders
from deepdive.webinars.models import AgendaItem, Registration, ReminderSent, Speaker, Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    WebinarFactory,
    member,
    paris,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1


def complete(webinar: Webinar) -> Webinar:
    """Fill the workspace so that nothing is missing."""
    webinar.descriptions = {"en": "What we will talk about."}
    webinar.languages_spoken = ["en"]
    webinar.platform = Webinar.Platform.ZOOM
    webinar.joining_url = "https://meet.example.org/j/42"
    webinar.test_call_on = date(NEXT_YEAR, 1, 5)
    webinar.save()
    AgendaItem.objects.create(webinar=webinar, title="Talks", minutes=webinar.minutes)
    Speaker.objects.create(webinar=webinar, name="Ama Mensah", consents_to_listing=True)
    Speaker.objects.create(
        webinar=webinar, name="Lea Roth", role=Speaker.Role.MODERATOR, consents_to_listing=True
    )
    return webinar


def host_of(webinar: Webinar, **kwargs):
    """A verified contact of the webinar's lead organisation."""
    person = ReaderFactory(**kwargs)
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def secretariat():
    return SecretariatFactory(timezone="Asia/Kathmandu")


@pytest.fixture
def preparing(call):
    """Published, 12 January next year at 14:00 Paris; nothing of the workspace done; full
    (2 seats) with one person waiting; submitted, waiting for approval."""
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Cocoa and child labour"),
        starts_at=paris(NEXT_YEAR, 1, 12, 14, 0),
        capacity=2,
        submitted_at=timezone.now(),
        host_active_at=paris(NEXT_YEAR - 1, 12, 1, 9, 30),
    )
    webinar.joining_url = ""
    webinar.save()
    RegistrationFactory.create_batch(2, webinar=webinar)
    RegistrationFactory(webinar=webinar, status=Registration.Status.WAITING)
    RegistrationFactory(webinar=webinar, status=Registration.Status.CANCELLED)
    return webinar


@pytest.fixture
def ready(call):
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Fishing fleets"),
        starts_at=paris(NEXT_YEAR, 1, 19, 10, 0),
        state=Webinar.State.READY,
        approved_at=timezone.now(),
        changed_after_approval=True,
    )
    return complete(webinar)


def board_url(call) -> str:
    return reverse("webinars:board", kwargs={"slug": call.series.slug})


def test_a_webinar_without_a_published_date_offers_no_reminder(client, secretariat, call):
    # The reminder gives the date: before publication there is none to give.
    WebinarFactory(proposal=ProposalFactory(call=call, title="Not placed yet"))
    client.force_login(secretariat)
    page = client.get(board_url(call)).content.decode()

    assert "Not placed yet" in page
    assert "Remind the host now" not in page


def test_board_shows_each_webinar_with_what_is_missing(client, secretariat, preparing, ready):
    other_series = WebinarFactory(proposal=ProposalFactory(title="Another series' webinar"))
    client.force_login(secretariat)
    page = client.get(board_url(preparing.call)).content.decode()

    assert "Cocoa and child labour" in page
    assert "Fishing fleets" in page
    assert other_series.title not in page
    # In the reader's zone, with its name: 13:00 UTC is 18:45 in Kathmandu.
    assert f"12 Jan {NEXT_YEAR}, 18:45 (Asia/Kathmandu, UTC+05:45)" in page
    assert "Write the public description in at least one language." in page
    assert "Name the moderator." in page
    assert "Submitted, waiting for approval" in page
    assert "Changed after approval" in page
    assert "2 registered of 2 seats" in page
    assert "1 on the waiting list" in page
    assert "0 registered (no limit)" in page
    assert f"1 Dec {NEXT_YEAR - 1}, 14:15 (Asia/Kathmandu, UTC+05:45)" in page
    assert f'href="/webinars/{preparing.pk}/"' in page
    assert page.count("Remind the host now") == 1  # only the one still being prepared


def test_board_filters_by_state_and_by_what_is_missing(client, secretariat, preparing, ready):
    client.force_login(secretariat)
    url = board_url(preparing.call)

    by_state = client.get(url, {"state": "ready"}).content.decode()
    assert "Fishing fleets" in by_state and "Cocoa and child labour" not in by_state

    missing = client.get(url, {"waiting_for": "missing"}).content.decode()
    assert "Cocoa and child labour" in missing and "Fishing fleets" not in missing

    approval = client.get(url, {"waiting_for": "approval"}).content.decode()
    assert "Cocoa and child labour" in approval and "Fishing fleets" not in approval

    unknown = client.get(url, {"state": "nonsense"})
    assert unknown.status_code == 200
    assert "Select a valid choice." in unknown.content.decode()


def test_board_is_for_the_secretariat_only(client, preparing):
    url = board_url(preparing.call)
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(member())
    assert client.get(url).status_code == 403
    remind = reverse("webinars:remind_host", kwargs={"pk": preparing.pk})
    assert client.post(remind).status_code == 403
    assert not OutboxMessage.objects.filter(kind="host.manual").exists()


def test_manage_home_links_to_each_series_board(client, secretariat, call):
    client.force_login(secretariat)
    page = client.get(reverse("core:manage")).content.decode()
    assert f'href="{board_url(call)}"' in page
    assert f"Webinars of {call.series.title}" in page


def test_host_reminders_are_sent_once_per_kind(preparing):
    host = host_of(preparing, language="en", timezone="Asia/Kathmandu")
    start = preparing.starts_at

    assert host_reminders.send_host_reminders(now=start - timedelta(days=22)) == 0
    assert host_reminders.send_host_reminders(now=start - timedelta(days=20)) == 1
    assert host_reminders.send_host_reminders(now=start - timedelta(days=20)) == 0  # a rerun
    assert host_reminders.send_host_reminders(now=start - timedelta(days=13)) == 1
    assert host_reminders.send_host_reminders(now=start - timedelta(days=12)) == 0
    assert host_reminders.send_host_reminders(now=start - timedelta(days=6)) == 1
    assert host_reminders.send_host_reminders(now=start - timedelta(days=1)) == 0
    assert host_reminders.send_host_reminders(now=start + timedelta(hours=1)) == 0

    sent = OutboxMessage.objects.filter(to_email=host.email).order_by("pk")
    assert [m.kind for m in sent] == ["host.21d", "host.14d", "host.7d"]
    assert sorted(
        ReminderSent.objects.filter(webinar=preparing).values_list("kind", flat=True)
    ) == ["host.14d", "host.21d", "host.7d"]
    first = sent[0]
    assert first.subject == "Still to do for your webinar “Cocoa and child labour”"
    assert f"12 Jan {NEXT_YEAR}, 18:45 (Asia/Kathmandu, UTC+05:45)" in first.body_text
    assert "- Name the moderator." in first.body_text
    assert "<li>Name the moderator.</li>" in first.body_html
    assert AuditEntry.objects.filter(action="webinars.host_reminded").count() == 3


def test_host_reminders_go_to_each_host_in_their_language(preparing):
    english = host_of(preparing, language="en", timezone="Europe/London")
    french = host_of(preparing, language="fr", timezone="Europe/Paris")
    outsider = ReaderFactory()  # not a contact of the organisation

    assert host_reminders.send_host_reminders(now=preparing.starts_at - timedelta(days=8)) == 2

    [to_english] = OutboxMessage.objects.filter(to_email=english.email)
    [to_french] = OutboxMessage.objects.filter(to_email=french.email)
    assert to_english.language == "en" and to_french.language == "fr"
    assert f"12 Jan {NEXT_YEAR}, 13:00 (Europe/London, UTC+00:00)" in to_english.body_text
    assert f"12 janvier {NEXT_YEAR} 14:00 (Europe/Paris, UTC+01:00)" in to_french.body_text
    assert "(Europe/Paris, UTC+01:00)" in to_french.body_text
    assert not OutboxMessage.objects.filter(to_email=outsider.email).exists()


def test_no_host_reminder_when_nothing_is_missing_or_not_preparing(call, ready, preparing):
    complete(preparing)
    cancelled = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call), state=Webinar.State.CANCELLED
    )
    unpublished = WebinarFactory(
        proposal=ProposalFactory(call=call), planned_start=paris(NEXT_YEAR, 1, 20)
    )
    for webinar in (ready, preparing, cancelled, unpublished):
        host_of(webinar)

    assert host_reminders.send_host_reminders(now=preparing.starts_at - timedelta(days=6)) == 0
    assert host_reminders.send_host_reminders(now=ready.starts_at - timedelta(days=6)) == 0
    assert not OutboxMessage.objects.filter(kind__startswith="host.").exists()
    assert not ReminderSent.objects.exists()


def test_secretariat_reminds_a_host_from_the_board(client, secretariat, preparing, ready):
    host = host_of(preparing, language="en")
    client.force_login(secretariat)
    url = board_url(preparing.call) + "?waiting_for=missing"
    response = client.post(
        reverse("webinars:remind_host", kwargs={"pk": preparing.pk}), {"next": url}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert "Reminder sent to 1 host of “Cocoa and child labour”." in response.content.decode()
    [message] = OutboxMessage.objects.filter(to_email=host.email)
    assert message.kind == "host.manual"
    [entry] = AuditEntry.objects.filter(action="webinars.host_reminded_by_hand")
    assert entry.actor == secretariat
    assert not ReminderSent.objects.exists()  # the automatic ones still go at their time

    # A ready webinar is not reminded: the message says why.
    response = client.post(reverse("webinars:remind_host", kwargs={"pk": ready.pk}), follow=True)
    assert "Only a webinar still being prepared can be reminded." in response.content.decode()
    assert OutboxMessage.objects.filter(kind="host.manual").count() == 1


def test_host_reminders_run_from_the_scheduler():
    [job] = [job for job in periodic.jobs() if job.name == "webinars.host_reminders"]
    assert job.run is host_reminders.send_host_reminders


def test_board_reads_the_same_number_of_queries_at_any_size(secretariat, call, preparing):
    def queries_for_board() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = board.board(call.series, reader=secretariat, reader_zone="UTC", filters={}).rows
        return len(queries), len(rows)

    few = queries_for_board()
    for _ in range(3):
        webinar = complete(PublishedWebinarFactory(proposal=ProposalFactory(call=call)))
        RegistrationFactory(webinar=webinar)
    many = queries_for_board()
    assert (few[1], many[1]) == (1, 4)
    assert many[0] == few[0]


def test_board_refuses_anyone_but_the_secretariat(call):
    with pytest.raises(PermissionDenied):
        board.board(call.series, reader=member(), reader_zone="UTC", filters={})
