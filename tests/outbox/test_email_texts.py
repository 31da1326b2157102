"""The text part of every kind of e-mail the platform sends reads as prose: no Python
(``<QuerySet``, ``<Theme: …>``), no ``None``, no template syntax left over.

Each e-mail is triggered through the real operations (the demo loader for the confirmation,
review and decision e-mails; factories and operations for the rest), then every message in the
outbox is read."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from deepdive.accounts.operations import decide_affiliation, state_affiliation
from deepdive.demo.operations import load_demo
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals import operations as proposals
from deepdive.proposals.models import CoSubmitter
from deepdive.reference.models import ActionGroup, Sector, Theme
from deepdive.reviews.operations.assignment import send_review_reminders
from deepdive.selection.decisions import send_hosting_reminders
from deepdive.selection.models import Decision
from deepdive.series.models import Call, Series
from deepdive.timetable import operations as timetable
from deepdive.webinars import registration
from tests.accounts.factories import PASSWORD, SecretariatFactory, UserFactory
from tests.proposals.conftest import complete_data, make_contact, make_organisation
from tests.reviews.factories import AssignmentFactory, ReviewerFactory, ReviewRoundFactory
from tests.timetable.conftest import make_webinar

pytestmark = pytest.mark.django_db

MODEL_NAMES = sorted({model.__name__ for model in apps.get_models()}, key=len, reverse=True)
LEFTOVERS = [
    ("a queryset", re.compile(r"<QuerySet")),
    ("a model's repr", re.compile(r"<(?:" + "|".join(MODEL_NAMES) + r")\b")),
    ("an object's repr", re.compile(r"<[A-Z]\w*: ")),
    # "None" printed for a missing value; "None of …" is English.
    ("None", re.compile(r"\bNone\b(?!\s+of\b)")),
    ("template syntax", re.compile(r"\{\{|\{%|%\}|\}\}")),
]


def problems_in_texts() -> list[str]:
    found = []
    for message in OutboxMessage.objects.order_by("pk"):
        for what, pattern in LEFTOVERS:
            for line in message.body_text.splitlines():
                if pattern.search(line):
                    found.append(f"{message.kind} to {message.to_email}: {what}: {line!r}")
    return found


def kinds() -> set[str]:
    return set(OutboxMessage.objects.values_list("kind", flat=True))


def test_the_demos_emails_read_as_prose():
    load_demo(password="demo-pass-123")
    assert {
        "proposals.confirmation",
        "proposals.decision",
        "reviews.invitation",
        "reviews.assignment",
        "decision",
    } <= kinds()
    assert problems_in_texts() == []


def _group():
    return ActionGroup.objects.get(code="supply_chains")


@pytest.fixture
def call(reference_data):
    series = Series.objects.create(
        action_group=_group(), slug="deep-dive", title="Deep Dive", languages=["en", "fr", "es"]
    )
    now = timezone.now()
    return Call.objects.create(
        series=series,
        slug="call",
        title="Call for webinar proposals",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=30),
        timezone="Europe/Zurich",
        word_limit=250,
        co_submitters_must_confirm=True,
    )


def test_the_proposal_emails_read_as_prose(call):
    group = call.series.action_group
    lead, partner = make_organisation("Lake Tea Union", group), make_organisation("Andes Co", group)
    member = make_contact(lead, name="Amina Diallo", email="amina@tea.example")
    partner_contact = make_contact(partner, name="Luis Ortega", email="luis@coffee.example")
    data = complete_data(
        lead,
        themes=list(Theme.objects.filter(code__in=["child_labour", "forced_labour"])),
        sectors=list(Sector.objects.all()[:2]),
        co_organisations=[partner],
        unlisted_organisations=["Village Savings Group"],
    )
    saved = proposals.create_draft(actor=member, call=call, data=data, submit=True)
    proposal = saved.proposal
    proposals.save_proposal(  # an update: a second confirmation, "changed"
        actor=member,
        proposal=proposal,
        expected_version=proposal.version,
        data=complete_data(lead, title="Living wages", co_organisations=[partner]),
        submit=True,
    )
    proposals.send_participation_reminders(now=timezone.now() + timedelta(days=4))
    co = CoSubmitter.objects.get(proposal=proposal, organisation=partner)
    proposals.decide_participation(actor=partner_contact, co_submitter=co, confirm=True)

    assert {
        "proposals.confirmation",
        "proposals.invitation",
        "proposals.reminder",
        "proposals.decision",
    } <= kinds()
    confirmation = OutboxMessage.objects.filter(kind="proposals.confirmation").earliest("pk")
    assert "Child labour, Forced labour" in confirmation.body_text
    assert problems_in_texts() == []


def test_the_affiliation_emails_read_as_prose(reference_data):
    SecretariatFactory()
    organisation = make_organisation("Lake Tea Union")
    person = UserFactory(name="", email="kofi@example.net")
    affiliation = state_affiliation(actor=person, user=person, organisation=organisation)
    decide_affiliation(actor=SecretariatFactory(), affiliation=affiliation, verified=True)
    other = state_affiliation(actor=person, user=person, organisation=make_organisation("Andes Co"))
    decide_affiliation(actor=SecretariatFactory(), affiliation=other, verified=False)

    assert {"affiliation"} == kinds()
    assert OutboxMessage.objects.count() >= 4
    assert problems_in_texts() == []


def test_the_review_reminder_reads_as_prose():
    round_ = ReviewRoundFactory(closes_at=timezone.now() + timedelta(days=2))
    reviewer = ReviewerFactory(call=round_.call)
    AssignmentFactory(reviewer=reviewer, proposal__title="")
    AssignmentFactory(reviewer=reviewer)
    assert send_review_reminders() == 1

    assert kinds() == {"reviews.reminder"}
    assert problems_in_texts() == []


def test_the_hosting_reminder_reads_as_prose(reference_data):
    webinar = make_webinar(
        Call.objects.create(
            series=Series.objects.create(action_group=_group(), slug="s", title="Series"),
            slug="c",
            title="Call",
            opens_at=timezone.now() - timedelta(days=60),
            closes_at=timezone.now() - timedelta(days=30),
        ),
        host_status=Decision.HostStatus.PENDING,
    )
    Decision.objects.filter(proposal=webinar.proposal).update(
        host_deadline=timezone.now() + timedelta(days=2)
    )
    assert send_hosting_reminders() == 1

    assert kinds() == {"hosting_reminder"}
    assert problems_in_texts() == []


def test_the_timetable_and_registration_emails_read_as_prose(
    client, reference_data, django_capture_on_commit_callbacks
):
    call = Call.objects.create(
        series=Series.objects.create(action_group=_group(), slug="s", title="Series"),
        slug="c",
        title="Call",
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
        timezone="Europe/Zurich",
    )
    secretariat = SecretariatFactory()
    webinar = make_webinar(call, title="Cocoa in West Africa")
    webinar.planned_start = timezone.now() + timedelta(days=20)
    webinar.members_only = False
    webinar.save()
    timetable.publish(actor=secretariat, call=call)
    reader = UserFactory(email="lucia@example.net", name="")
    webinar.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # e-mails go after the commit
        registered = registration.register(actor=reader, webinar=webinar)
    webinar.planned_start = timezone.now() + timedelta(days=21)
    webinar.save()
    timetable.publish(actor=secretariat, call=call)
    with django_capture_on_commit_callbacks(execute=True):
        registration.cancel(actor=reader, registration=registered)

    assert kinds() == {"published", "registered", "time_changed", "cancelled"}
    assert problems_in_texts() == []


def test_the_account_emails_read_as_prose(client):
    client.post(
        reverse("account_signup"),
        {
            "name": "Ama Mensah",
            "email": "ama@example.net",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    UserFactory(email="known@example.net")
    client.post(reverse("account_reset_password"), {"email": "known@example.net"})

    assert kinds() == {"account"}
    assert OutboxMessage.objects.count() == 2
    assert problems_in_texts() == []
