"""The feedback form by each attendee's signed link (no login, one answer per person, a bad or
expired link explained), and its answers for the hosts and the secretariat only, without
names, the distribution suppressed under five answers."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from deepdive.core import audit
from deepdive.directory.models import Affiliation
from deepdive.webinars import feedback
from deepdive.webinars.models import Attendance, Feedback, Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.webinars.factories import (
    ProposalFactory,
    ReaderFactory,
    RegistrationFactory,
    WebinarFactory,
    paris,
)

pytestmark = pytest.mark.django_db
TITLE = "Decent work in supply chains"


@pytest.fixture
def webinar():
    start = paris(2025, 3, 10, 14)
    return WebinarFactory(
        proposal=ProposalFactory(title=TITLE),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )


@pytest.fixture
def host(webinar):
    person = ReaderFactory(name="Host Person")
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


def attendee(webinar: Webinar, n: int, **kwargs) -> Attendance:
    return Attendance.objects.create(
        webinar=webinar,
        name=f"Attendee {n}",
        email=f"attendee{n}@example.org",
        minutes=45,
        imported_at=webinar.starts_at,
        **kwargs,
    )


def link(attendance: Attendance) -> str:
    return reverse("webinars:feedback", kwargs={"token": feedback.feedback_token(attendance)})


def test_an_attendee_answers_without_logging_in(client, webinar):
    registration = RegistrationFactory(webinar=webinar)
    person = attendee(webinar, 1, registration=registration)

    page = client.get(link(person))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Your feedback on “{TITLE}”" in html
    assert "3 — Fairly useful" in html
    assert 'type="radio"' in html

    answered = client.post(
        link(person),
        {"usefulness": "4", "learned": "Due diligence laws", "wished_topics": ""},
        follow=True,
    )

    assert "Thank you for your feedback" in answered.content.decode()
    [given] = Feedback.objects.all()
    assert (given.usefulness, given.learned, given.wished_topics) == (4, "Due diligence laws", "")
    assert given.webinar == webinar
    assert given.attendance == person and given.registration == registration
    assert given.language == "en"
    [entry] = audit.history(webinar).filter(action="webinars.feedback_given")
    assert "Due diligence" not in entry.summary and "Attendee" not in entry.summary


def test_a_second_submission_updates_the_answer(client, webinar):
    person = attendee(webinar, 1)
    client.post(link(person), {"usefulness": "2", "learned": "A"})
    client.post(link(person), {"usefulness": "2", "learned": "A"})  # a double submit
    client.post(link(person), {"usefulness": "5", "learned": "B", "wished_topics": "Audits"})

    [given] = Feedback.objects.all()
    assert (given.usefulness, given.learned, given.wished_topics) == (5, "B", "Audits")
    page = client.get(link(person)).content.decode()
    assert "You have already answered" in page
    assert 'value="5" required id="id_usefulness_4" checked>' in page
    assert 'value="2" required id="id_usefulness_1">' in page


def test_usefulness_is_needed_and_what_was_typed_is_kept(client, webinar):
    person = attendee(webinar, 1)

    page = client.post(link(person), {"learned": "Grievance mechanisms"})

    assert page.status_code == 422
    html = page.content.decode()
    assert "Say how useful the webinar was." in html
    assert "Grievance mechanisms" in html
    assert not Feedback.objects.exists()


def test_a_changed_link_is_explained(client, webinar):
    person = attendee(webinar, 1)

    page = client.get(link(person)[:-3] + "xyz/")

    assert page.status_code == 404
    assert "This feedback link is not valid" in page.content.decode()
    assert client.post(link(person)[:-3] + "xyz/", {"usefulness": "3"}).status_code == 404
    assert not Feedback.objects.exists()


def test_an_expired_link_is_explained(client, webinar, monkeypatch):
    person = attendee(webinar, 1)
    token = feedback.feedback_token(person)
    real = signing.loads

    def later(value, **kwargs):
        return real(value, **{**kwargs, "max_age": timedelta(seconds=-1)})

    monkeypatch.setattr(signing, "loads", later)

    page = client.get(reverse("webinars:feedback", kwargs={"token": token}))

    assert page.status_code == 410
    assert "This feedback link has expired" in page.content.decode()


def test_a_hosts_attendance_has_no_feedback_form(client, webinar):
    row = attendee(webinar, 1, counted_as_host=True)

    assert client.get(link(row)).status_code == 404


def answers_url(webinar: Webinar) -> str:
    return reverse("webinars:feedback_answers", kwargs={"pk": webinar.pk})


def give(webinar: Webinar, usefulness: list[int]) -> None:
    for n, value in enumerate(usefulness, start=1):
        feedback.answer(
            token=feedback.feedback_token(attendee(webinar, n)),
            usefulness=value,
            learned=f"Lesson {n}",
            wished_topics=f"Topic {n}" if n % 2 else "",
        )


def test_the_answers_only_for_the_hosts_and_the_secretariat(client, webinar, host):
    give(webinar, [4])
    url = answers_url(webinar)

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(ReaderFactory())
    assert client.get(url).status_code == 403
    registered = RegistrationFactory(webinar=webinar).user
    client.force_login(registered)
    assert client.get(url).status_code == 403
    client.force_login(host)
    assert client.get(url).status_code == 200
    client.force_login(SecretariatFactory())
    assert client.get(url).status_code == 200


def test_under_five_answers_the_distribution_is_suppressed_but_the_texts_are_shown(
    client, webinar, host
):
    give(webinar, [5, 4, 4, 2])
    client.force_login(host)

    html = client.get(answers_url(webinar)).content.decode()

    assert "4 answers" in html
    assert "The distribution is shown from 5 answers on" in html
    assert "<table" not in html
    assert "Lesson 1" in html and "Lesson 4" in html and "Topic 3" in html
    assert "Attendee 1" not in html and "attendee1@example.org" not in html


def test_from_five_answers_the_distribution_is_shown(client, webinar, host):
    give(webinar, [5, 4, 4, 2, 4])
    client.force_login(host)

    found = feedback.answers_of(actor=host, webinar=webinar)
    html = client.get(answers_url(webinar)).content.decode()

    assert found.count == 5
    assert [(row.value, row.count) for row in found.distribution] == [
        (1, 0),
        (2, 1),
        (3, 0),
        (4, 3),
        (5, 1),
    ]
    assert "How useful the webinar was, by number of answers" in html
    assert "Attendee" not in html


def test_the_webinar_page_links_its_hosts_to_the_answers(client, webinar, host):
    client.force_login(host)
    assert answers_url(webinar) in client.get(webinar.get_absolute_url()).content.decode()
    client.force_login(ReaderFactory())
    assert answers_url(webinar) not in client.get(webinar.get_absolute_url()).content.decode()
