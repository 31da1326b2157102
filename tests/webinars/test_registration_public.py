"""Public registration confirmed by a signed link, the series' questions, capacity and the
waiting list with offers that expire, each registrant's signed link, and the refusals."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration, RegistrationQuestions, Webinar
from tests.series.factories import secretariat
from tests.webinars.factories import (
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, each request's after-commit work (the e-mails) run as if committed."""
    send = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send(**kwargs)

    client.request = request
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and its after-commit e-mails."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def webinar():
    return PublishedWebinarFactory(
        proposal=ProposalFactory(title="Supply chains"), members_only=False
    )


def link_in(message, name: str) -> str:
    [url] = [u for u in re.findall(r"https?://\S+", message.body_text) if f"/{name}/" in u]
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def public_form(client, webinar, **values):
    data = {"name": "Ana Pérez", "email": "ana@example.net", "country": "", **values}
    return client.post(reverse("webinars:register_public", args=[webinar.pk]), data)


def test_a_public_registrant_confirms_by_link_and_sees_their_registration(client, webinar):
    response = public_form(client, webinar, sex="not_said", consents_to_contact="on")
    assert "Almost done: we sent a link to ana@example.net" in response.content.decode()
    registration = Registration.objects.get(webinar=webinar)
    assert registration.user is None and registration.status == "pending"
    assert registration.sex == "not_said" and registration.consents_to_contact
    [message] = OutboxMessage.objects.filter(to_email="ana@example.net")
    assert message.subject == "Please confirm your registration: “Supply chains”"
    confirm = link_in(message, "confirm")
    assert webinar.joining_url not in client.get(confirm).content.decode()

    page = client.post(confirm, follow=True).content.decode()
    assert "Your registration is confirmed." in page
    assert webinar.joining_url in page
    registration.refresh_from_db()
    assert registration.status == "registered" and registration.email_verified_at
    [invitation] = OutboxMessage.objects.filter(to_email="ana@example.net", kind="registered")
    assert "method=REQUEST" in invitation.attachments[0]["content_type"]
    # Confirming again changes nothing and sends nothing.
    client.post(confirm)
    assert OutboxMessage.objects.filter(to_email="ana@example.net").count() == 2


def test_the_public_form_shows_the_why_of_sex_and_hides_unasked_questions(client, webinar):
    page = client.get(reverse("webinars:register_public", args=[webinar.pk])).content.decode()
    assert "prefer not to say" in page and "disaggregated by sex" in page
    RegistrationQuestions.objects.create(series=webinar.call.series, asks_sex=False)
    page = client.get(reverse("webinars:register_public", args=[webinar.pk])).content.decode()
    assert "disaggregated by sex" not in page


def test_a_second_registration_with_the_same_address_is_refused_beside_the_field(client, webinar):
    public_form(client, webinar)
    response = public_form(client, webinar, email="ANA@example.net", name="Ana again")
    page = response.content.decode()
    assert response.status_code == 422
    assert "This address is already registered for this webinar." in page
    assert 'value="Ana again"' in page
    assert Registration.objects.count() == 1


def test_members_only_and_closed_webinars_refuse_public_registration(client, committed):
    members = PublishedWebinarFactory(members_only=True)
    with pytest.raises(registrations.RegistrationRefused, match="members only"):
        registrations.register_public(webinar=members, name="A", email="a@example.net")
    started = PublishedWebinarFactory(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(registrations.RegistrationRefused, match="has started"):
        registrations.register_public(webinar=started, name="A", email="a@example.net")
    cancelled = PublishedWebinarFactory(state=Webinar.State.CANCELLED)
    page = public_form(client, cancelled).content.decode()
    assert "This webinar is cancelled: it takes no registrations." in page
    with pytest.raises(registrations.RegistrationRefused, match="cancelled"):
        registrations.register(actor=ReaderFactory(), webinar=cancelled)
    assert not Registration.objects.exists()


def test_a_tampered_or_expired_link_is_refused(client, webinar, committed):
    registration = committed(
        registrations.register_public, webinar=webinar, name="A", email="a@example.net"
    )
    token = registrations.manage_token(registration)
    assert client.get(reverse("webinars:my_registration", args=[token])).status_code == 200
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("webinars:my_registration", args=[tampered])).status_code == 404
    with pytest.raises(registrations.RegistrationRefused, match="not valid"):
        registrations.confirm(token=registrations.confirm_token(registration) + "x")
    forged = signing.dumps({"c": registration.pk}, salt="another salt", compress=True)
    with pytest.raises(registrations.RegistrationRefused, match="not valid"):
        registrations.confirm(token=forged)


def test_an_expired_confirmation_link_is_refused(webinar, committed, monkeypatch):
    registration = committed(
        registrations.register_public, webinar=webinar, name="A", email="a@example.net"
    )
    token = registrations.confirm_token(registration)
    monkeypatch.setattr(registrations, "CONFIRM_DAYS", -1)
    with pytest.raises(registrations.RegistrationRefused, match="expired"):
        registrations.confirm(token=token)
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_the_signed_link_changes_answers_and_cancels(client, webinar, committed):
    person = ReaderFactory()
    registration = committed(registrations.register, actor=person, webinar=webinar)
    assert registration.email == person.email and registration.name == person.name
    url = reverse("webinars:my_registration", args=[registrations.manage_token(registration)])
    page = client.get(url).content.decode()
    assert webinar.joining_url in page
    client.post(url, {"action": "answers", "interpretation_needs": "French", "sex": "female"})
    registration.refresh_from_db()
    assert registration.interpretation_needs == "French" and registration.sex == "female"
    entry = AuditEntry.objects.get(action="webinars.registration_answers_changed")
    assert "French" not in entry.summary
    page = client.post(url, {"action": "cancel"}, follow=True).content.decode()
    assert "Your registration is cancelled." in page
    assert webinar.joining_url not in page
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert OutboxMessage.objects.filter(to_email=person.email, kind="cancelled").count() == 1


def full_webinar(seats: int = 2) -> tuple[Webinar, list[Registration]]:
    webinar = PublishedWebinarFactory(capacity=seats, members_only=False)
    people = [registrations.register(actor=ReaderFactory(), webinar=webinar) for _ in range(seats)]
    return webinar, people


def test_a_full_webinar_puts_registrants_on_the_waiting_list(committed):
    webinar, seated = full_webinar()
    later = committed(registrations.register, actor=ReaderFactory(), webinar=webinar)
    assert [r.status for r in seated] == ["registered", "registered"]
    assert later.status == "waiting"
    assert registrations.seats_taken(webinar) == 2
    [message] = OutboxMessage.objects.filter(to_email=later.email)
    assert message.subject == f"On the waiting list: “{webinar.title}”"
    assert "/registrations/" in message.body_text


def test_a_cancellation_offers_the_seat_to_the_first_in_line(client, committed, settings):
    settings.WEBINAR_OFFER_HOURS = 48
    webinar, seated = full_webinar()
    first = registrations.register(actor=ReaderFactory(), webinar=webinar)
    second = registrations.register(actor=ReaderFactory(), webinar=webinar)
    now = timezone.now()
    committed(registrations.cancel, actor=seated[0].user, registration=seated[0])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "offered" and second.status == "waiting"
    assert (
        now + timedelta(hours=47) < first.offer_expires_at <= now + timedelta(hours=48, minutes=1)
    )
    [offer] = OutboxMessage.objects.filter(to_email=first.email, kind="seat_offered")
    assert "Confirm it before" in offer.body_text

    url = link_in(offer, "registrations")
    page = client.get(url).content.decode()
    assert "A seat is offered to you" in page and webinar.joining_url not in page
    page = client.post(url, {"action": "take_seat"}, follow=True).content.decode()
    assert "The seat is yours: you are registered." in page
    assert webinar.joining_url in page
    first.refresh_from_db()
    assert first.status == "registered"
    assert registrations.seats_taken(webinar) == 2


def test_an_offer_never_lasts_past_the_start(committed):
    webinar, seated = full_webinar()
    Webinar.objects.filter(pk=webinar.pk).update(starts_at=timezone.now() + timedelta(hours=3))
    waiting = registrations.register(actor=ReaderFactory(), webinar=webinar)
    committed(registrations.cancel, actor=seated[0].user, registration=seated[0])
    waiting.refresh_from_db()
    webinar.refresh_from_db()
    assert waiting.offer_expires_at == webinar.starts_at


def test_an_expired_offer_passes_on_and_cannot_be_confirmed(client, committed):
    webinar, seated = full_webinar()
    first = registrations.register(actor=ReaderFactory(), webinar=webinar)
    second = registrations.register(actor=ReaderFactory(), webinar=webinar)
    committed(registrations.cancel, actor=seated[0].user, registration=seated[0])
    first.refresh_from_db()
    token = registrations.manage_token(first)
    later = first.offer_expires_at + timedelta(minutes=1)
    with pytest.raises(registrations.RegistrationRefused, match="This offer has expired"):
        registrations.confirm_offer(token=token, now=later)

    assert committed(registrations.expire_offers, now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled" and second.status == "offered"
    assert AuditEntry.objects.filter(action="webinars.offer_expired").count() == 1
    assert committed(registrations.expire_offers, now=later) == 0
    page = client.post(
        reverse("webinars:my_registration", args=[token]), {"action": "take_seat"}, follow=True
    ).content.decode()
    assert "This offer has expired" in page
    assert registrations.seats_taken(webinar) == 2


def test_a_member_registers_in_one_click_with_their_details(committed):
    person = member(language="fr", timezone="Asia/Tokyo")
    webinar = PublishedWebinarFactory(members_only=True)
    registration = committed(registrations.register, actor=person, webinar=webinar)
    assert registration.status == "registered"
    assert (registration.email, registration.language, registration.timezone) == (
        person.email,
        "fr",
        "Asia/Tokyo",
    )


def test_the_secretariat_sets_the_questions_of_a_series(client, webinar):
    series = webinar.call.series
    url = reverse("webinars:registration_questions", args=[series.slug])
    client.force_login(ReaderFactory())
    assert client.get(url).status_code == 403
    client.force_login(secretariat())
    page = client.get(url).content.decode()
    assert "Registration questions" in page
    client.post(url, {"asks_organisation": "on", "asks_country": "on"})
    questions = RegistrationQuestions.objects.get(series=series)
    assert questions.asks_country and not questions.asks_sex
    assert AuditEntry.objects.filter(action="webinars.registration_questions_changed").exists()
