"""Invitation campaigns: drafted once per person in their language and zone, released at the
campaign's rate, paused and resumed, retried, and delivered through a real SMTP server."""

from collections import Counter
from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from deepdive.communications import audiences, campaigns
from deepdive.communications.audiences import Audience
from deepdive.communications.models import Campaign
from deepdive.core.models import AuditEntry
from deepdive.outbox import consent
from deepdive.outbox import operations as outbox
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import Registration
from tests.accounts.factories import SecretariatFactory
from tests.outbox.conftest import db_tasks, run_worker, smtp, smtp_server  # noqa: F401
from tests.races import database_on_disk, race
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    rules_for,
)

STATUS = OutboxMessage.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_webinar(title="Cocoa and child labour"):
    call = CallFactory()
    rules_for(call, "Asia/Bangkok")  # the series' reference zone
    start = datetime(2031, 3, 4, 13, 0, tzinfo=UTC)  # 14:00 in Paris, 08:00 in Lima
    return PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title=title), starts_at=start, planned_start=start
    )


def register(webinar, email, *, language="en", zone="", name="", consent_=True):
    return Registration.objects.create(
        webinar=webinar,
        email=email,
        name=name or email.split("@")[0].title(),
        language=language,
        timezone=zone,
        consents_to_contact=consent_,
    )


def news(webinar) -> Audience:
    return Audience(webinar.call.series_id, audiences.SERIES_NEWS)


def draft(actor, webinar, **kwargs):
    return campaigns.draft_campaign(
        actor=actor, series=webinar.call.series, webinar=webinar, audience=news(webinar), **kwargs
    )


def batch(campaign):
    return OutboxMessage.objects.filter(batch=campaign.batch).order_by("to_email")


@pytest.mark.django_db
def test_each_person_gets_one_held_invitation_in_their_language_and_zone():
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    register(webinar, "lucia@example.org", language="es", zone="America/Lima", name="Lucía")
    register(webinar, "marie@example.org", language="fr", zone="Europe/Paris", name="Marie")
    register(webinar, "no-zone@example.org")  # the series' zone
    register(webinar, "no-consent@example.org", consent_=False)

    campaign, drafted = draft(secretariat, webinar)

    assert drafted == 3
    assert campaign.status == Campaign.Status.DRAFT
    lucia, marie, nozone = batch(campaign)
    assert [m.status for m in (lucia, marie, nozone)] == [STATUS.HELD] * 3
    assert {m.category for m in (lucia, marie, nozone)} == {"invitation"}
    assert lucia.language == "es"
    assert lucia.subject.endswith("Cocoa and child labour")
    assert "martes 4 marzo 2031" in lucia.body_text  # the date in Spanish (new texts await
    # their translation in the catalogues)
    assert "08:00–09:00 (America/Lima, UTC-05:00)" in lucia.body_text
    assert f"http://testserver/webinars/{webinar.pk}/card/es/preview.png" in lucia.body_html
    assert f"http://testserver/webinars/{webinar.pk}/#register-title" in lucia.body_text
    assert marie.language == "fr"
    assert "mardi 4 mars 2031, 14:00–15:00 (Europe/Paris, UTC+01:00)" in marie.body_text
    assert "/card/fr/preview.png" in marie.body_html
    assert "List-Unsubscribe" in marie.headers
    assert "20:00–21:00 (Asia/Bangkok, UTC+07:00)" in nozone.body_text  # the series' zone
    assert AuditEntry.objects.filter(action="communications.campaign_drafted").count() == 1


@pytest.mark.django_db
def test_pressing_draft_again_drafts_only_newcomers():
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    register(webinar, "one@example.org")
    first, drafted = draft(secretariat, webinar)
    again, drafted_again = draft(secretariat, webinar)
    assert (again.pk, drafted, drafted_again) == (first.pk, 1, 0)

    register(webinar, "two@example.org")
    _campaign, newcomers = draft(secretariat, webinar)
    assert newcomers == 1
    assert [m.to_email for m in batch(first)] == ["one@example.org", "two@example.org"]


@pytest.mark.django_db
def test_an_audience_of_zero_and_a_stranger_are_refused():
    webinar = make_webinar()
    with pytest.raises(campaigns.CampaignRefused) as refused:
        draft(SecretariatFactory(), webinar)
    assert refused.value.errors == {
        "kind": ["Nobody is in this audience: there is no one to invite."]
    }
    assert not Campaign.objects.exists()

    register(webinar, "one@example.org")
    with pytest.raises(PermissionDenied):
        draft(ReaderFactory(), webinar)
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_an_unsubscribed_person_is_drafted_suppressed_and_never_released():
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    register(webinar, "gone@example.org")
    register(webinar, "stays@example.org")
    consent.unsubscribe(address="gone@example.org", scope="invitation")

    campaign, _drafted = draft(secretariat, webinar)
    campaigns.start_sending(actor=secretariat, campaign=campaign)

    statuses = dict(batch(campaign).values_list("to_email", "status"))
    assert statuses == {"gone@example.org": STATUS.SUPPRESSED, "stays@example.org": STATUS.QUEUED}
    progress = campaigns.progress(campaign)
    assert (progress.queued, progress.suppressed, progress.held) == (1, 1, 0)


@pytest.mark.django_db
def test_an_invitation_is_sent_for_the_series_action_group():
    """Who stopped this Action Group's invitations gets none; who stopped another group's
    still does; the one-click link stops this group's invitations."""
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    group = webinar.call.series.action_group
    register(webinar, "done-with-group@example.org")
    register(webinar, "other-group@example.org")
    consent.unsubscribe(
        address="done-with-group@example.org", scope="invitation", action_group=group.code
    )
    consent.unsubscribe(
        address="other-group@example.org", scope="invitation", action_group="migration"
    )

    campaign, _drafted = draft(secretariat, webinar)

    messages = {m.to_email: m for m in batch(campaign)}
    assert {m.action_group for m in messages.values()} == {group.code}
    assert messages["done-with-group@example.org"].status == STATUS.SUPPRESSED
    assert messages["other-group@example.org"].status == STATUS.HELD
    link = messages["other-group@example.org"].headers["List-Unsubscribe"].strip("<>")
    signed = link.rstrip("/").rpartition("/")[2]
    assert consent.read_token(signed) == ("other-group@example.org", "invitation", group.code)


@pytest.mark.django_db
def test_release_respects_the_rate_and_the_pause():
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    for n in range(7):
        register(webinar, f"p{n}@example.org")
    campaign, _drafted = draft(secretariat, webinar, rate_per_minute=3)

    assert campaigns.release() == "0 released"  # a draft is not released
    assert campaigns.start_sending(actor=secretariat, campaign=campaign) == 3
    assert campaigns.start_sending(actor=secretariat, campaign=campaign) == 0  # twice: once
    assert campaigns.progress(campaign).held == 4

    assert campaigns.pause(actor=secretariat, campaign=campaign)
    assert campaigns.release() == "0 released"
    assert campaigns.progress(campaign).held == 4

    assert campaigns.resume(actor=secretariat, campaign=campaign)
    assert campaigns.release() == "3 released"
    assert campaigns.release() == "1 released"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    progress = campaigns.progress(campaign)
    assert (progress.queued, progress.held, progress.total) == (7, 0, 7)


@pytest.mark.django_db
def test_the_failed_ones_are_retried():
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    register(webinar, "a@example.org")
    register(webinar, "b@example.org")
    campaign, _drafted = draft(secretariat, webinar)
    campaigns.start_sending(actor=secretariat, campaign=campaign)
    batch(campaign).filter(to_email="a@example.org").update(status=STATUS.FAILED, attempts=5)

    assert campaigns.progress(campaign).failed == 1
    assert campaigns.retry_failed(actor=secretariat, campaign=campaign) == 1
    assert campaigns.progress(campaign).failed == 0
    assert campaigns.progress(campaign).queued == 2


@pytest.fixture
def racing(transactional_db, tmp_path):
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    for n in range(20):
        register(webinar, f"p{n}@example.org")
    with database_on_disk(tmp_path):
        yield secretariat, webinar


def test_two_drafts_at_once_draft_each_person_once(racing):
    secretariat, webinar = racing

    results = race(lambda: draft(secretariat, webinar), lambda: draft(secretariat, webinar))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(drafted for _campaign, drafted in results) == [0, 20]
    [campaign] = Campaign.objects.all()
    assert batch(campaign).count() == 20
    assert len(set(batch(campaign).values_list("to_email", flat=True))) == 20


@pytest.mark.django_db(transaction=True)
def test_300_invitations_reach_a_real_smtp_server_each_exactly_once(smtp, run_worker):  # noqa: F811
    secretariat = SecretariatFactory()
    webinar = make_webinar("Supply chains: what works")
    Registration.objects.bulk_create(
        Registration(
            webinar=webinar,
            email=f"person{n:03}@example.org",
            name=f"Person {n}",
            language=("en", "fr", "es")[n % 3],
            consents_to_contact=True,
        )
        for n in range(300)
    )
    campaign, drafted = draft(secretariat, webinar, rate_per_minute=120)
    assert drafted == 300
    assert smtp.envelopes == []  # held: nothing leaves before Send

    assert campaigns.start_sending(actor=secretariat, campaign=campaign) == 120
    assert campaigns.start_sending(actor=secretariat, campaign=campaign) == 0  # a second press
    run_worker()
    assert len(smtp.envelopes) == 120
    assert campaigns.release() == "120 released"
    assert campaigns.release() == "60 released"
    run_worker()
    run_worker()  # nothing left: sends nothing again

    received = Counter(rcpt for e in smtp.envelopes for rcpt in e.rcpt_tos)
    assert len(received) == 300
    assert set(received.values()) == {1}
    message = smtp.messages[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(make_header(decode_header(message["Subject"]))).endswith("Supply chains: what works")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    progress = campaigns.progress(campaign)
    assert (progress.sent, progress.held, progress.queued, progress.failed) == (300, 0, 0, 0)


@pytest.mark.django_db
def test_the_pages_count_refuse_zero_draft_send_and_show_progress(client):
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    series = webinar.call.series
    client.force_login(secretariat)
    page = reverse("communications:campaigns", args=[series.slug])

    empty = client.get(page, {"webinar": webinar.pk, "kind": "series_news", "rate_per_minute": 1})
    assert empty.status_code == 422
    assert "Nobody is in this audience" in empty.text
    assert not Campaign.objects.exists()

    register(webinar, "one@example.org")
    register(webinar, "two@example.org")
    counted = client.get(page, {"webinar": webinar.pk, "kind": "series_news", "rate_per_minute": 1})
    assert "2 people in this audience" in counted.text
    assert not Campaign.objects.exists()  # counting drafts nothing

    fields = {"webinar": webinar.pk, "kind": "series_news", "rate_per_minute": 1}
    drafted = client.post(reverse("communications:campaign_draft", args=[series.slug]), fields)
    campaign = Campaign.objects.get()
    assert drafted.url == reverse("communications:campaign", args=[campaign.pk])
    client.post(reverse("communications:campaign_draft", args=[series.slug]), fields)
    assert batch(campaign).count() == 2  # pressed twice: each person once

    detail = client.get(drafted.url)
    assert "Send 2 invitations" in detail.text
    assert 'http-equiv="refresh"' not in detail.text

    sent = client.post(reverse("communications:campaign_send", args=[campaign.pk]))
    assert sent.url == drafted.url + "?follow=1"
    sending = client.get(sent.url)
    assert 'http-equiv="refresh"' in sending.text
    assert "Pause" in sending.text

    client.force_login(ReaderFactory())
    assert client.get(drafted.url).status_code == 403


@pytest.mark.django_db
def test_a_campaign_approved_on_the_outbox_page_is_done_at_the_next_release():
    secretariat = SecretariatFactory()
    webinar = make_webinar()
    register(webinar, "a@example.org")
    campaign, _drafted = draft(secretariat, webinar)

    assert outbox.approve_batch(actor=secretariat, batch=campaign.batch) == 1
    campaigns.release()

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
