"""The follow-up after a held webinar: after an attendance import, "thanks" to each attendee
and "what you missed" to each registrant who did not come, held in one outbox batch per kind,
in each person's language and zone, drafted once; approved, they leave through real SMTP."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from deepdive.core import audit
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.outbox.operations import approve_batch
from deepdive.webinars import follow_up
from deepdive.webinars.attendance import service
from deepdive.webinars.models import (
    Attendance,
    Material,
    Recording,
    Registration,
    RepeatSession,
    Webinar,
)
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.outbox.conftest import db_tasks, run_worker, smtp, smtp_server  # noqa: F401
from tests.webinars.attendance import reports
from tests.webinars.factories import (
    ProposalFactory,
    ReaderFactory,
    RegistrationFactory,
    WebinarFactory,
    member,
    paris,
)

TITLE = "Decent work in supply chains"
HELD = OutboxMessage.Status.HELD


@pytest.fixture
def webinar(db):
    start = paris(2025, 3, 10, 14)
    return WebinarFactory(
        proposal=ProposalFactory(title=TITLE),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()


def came(webinar: Webinar, name: str, email: str, *, registration=None, host=False) -> Attendance:
    return Attendance.objects.create(
        webinar=webinar,
        name=name,
        email=email,
        minutes=50,
        counted_as_host=host,
        registration=registration,
        imported_at=webinar.starts_at,
    )


@pytest.fixture
def people(webinar):
    """Ana (registered, French, Lima) and Kofi (registered) came; Bo (Spanish) registered and
    did not; Cy cancelled; a walk-in without a registration came; a host came."""
    ana = RegistrationFactory(
        webinar=webinar,
        user=None,
        name="Ana Lopez",
        email="ana@example.org",
        language="fr",
        timezone="America/Lima",
    )
    kofi = RegistrationFactory(webinar=webinar, user=ReaderFactory(email="kofi@example.org"))
    bo = RegistrationFactory(
        webinar=webinar, user=None, name="Bo Li", email="bo@example.org", language="es"
    )
    RegistrationFactory(
        webinar=webinar,
        user=None,
        name="Cy Dee",
        email="cy@example.org",
        status=Registration.Status.CANCELLED,
    )
    came(webinar, "Ana Lopez", "ana@example.org", registration=ana)
    came(webinar, "Kofi Mensah", "", registration=kofi)
    came(webinar, "Walk In", "walk.in@example.org")
    came(webinar, "Name Only", "")
    came(webinar, "Host Person", "host@ilo.example", host=True)
    return {"ana": ana, "kofi": kofi, "bo": bo}


def held(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind).order_by("to_email"))


@pytest.mark.django_db
def test_thanks_and_missed_are_held_in_one_batch_per_kind(webinar, people, secretariat):
    drafts = follow_up.draft_follow_up(actor=secretariat, webinar=webinar)

    assert (drafts.thanks, drafts.missed) == (3, 1)
    thanks = held(follow_up.THANKS)
    assert [m.to_email for m in thanks] == [
        "ana@example.org",
        "kofi@example.org",
        "walk.in@example.org",
    ]
    assert {m.status for m in thanks} == {HELD}
    assert {m.batch for m in thanks} == {drafts.thanks_batch}
    [missed] = held(follow_up.MISSED)
    assert missed.to_email == "bo@example.org"
    assert missed.status == HELD
    assert missed.batch == drafts.missed_batch != drafts.thanks_batch
    assert str(webinar.pk) in drafts.thanks_batch and TITLE in drafts.thanks_batch
    [entry] = audit.history(webinar).filter(action="webinars.follow_up_drafted")
    assert entry.summary == "Follow-up drafted for approval: 3 thanks, 1 what you missed"


@pytest.mark.django_db
def test_each_email_in_the_persons_language_and_zone(webinar, people, secretariat):
    follow_up.draft_follow_up(actor=secretariat, webinar=webinar)

    ana = OutboxMessage.objects.get(to_email="ana@example.org")
    assert ana.language == "fr"
    # 14:00 in Paris is 8:00 in Lima, written the French way.
    assert "10 mars 2025" in ana.body_text and "08:00 (America/Lima, UTC-05:00)" in ana.body_text
    bo = OutboxMessage.objects.get(to_email="bo@example.org")
    assert bo.language == "es"
    walk_in = OutboxMessage.objects.get(to_email="walk.in@example.org")
    assert walk_in.language == "en"
    assert "(Europe/Paris, UTC+01:00)" in walk_in.body_text
    assert walk_in.subject == f"Thank you for attending “{TITLE}”"
    assert bo.subject == f"Lo que se perdió: “{TITLE}”"  # in her language


@pytest.mark.django_db
def test_the_thanks_carry_a_personal_feedback_link_and_the_recording_will_follow(
    webinar, people, secretariat
):
    follow_up.draft_follow_up(actor=secretariat, webinar=webinar)

    ana = OutboxMessage.objects.get(to_email="ana@example.org")
    walk_in = OutboxMessage.objects.get(to_email="walk.in@example.org")
    assert "/webinars/feedback/" in ana.body_text
    assert "The recording will follow on the webinar's page:" in walk_in.body_text
    link = [line for line in ana.body_text.splitlines() if "/webinars/feedback/" in line]
    other = [line for line in walk_in.body_text.splitlines() if "/webinars/feedback/" in line]
    assert link != other
    missed = OutboxMessage.objects.get(to_email="bo@example.org")
    assert "/webinars/feedback/" not in missed.body_text


@pytest.mark.django_db
def test_the_recording_and_the_materials_each_may_see(webinar, people, secretariat):
    Recording.objects.create(
        webinar=webinar,
        url="https://www.youtube.com/watch?v=abc",
        provider="youtube",
        video_id="abc",
        language="en",
        published_at=webinar.starts_at,
    )
    uploader = ReaderFactory()
    for title, visibility in (
        ("Slides", Material.Visibility.PUBLIC),
        ("Members' brief", Material.Visibility.MEMBERS),
        ("Run sheet", Material.Visibility.HOSTS),
    ):
        Material.objects.create(
            webinar=webinar,
            title=title,
            file=ContentFile(b"%PDF-1.4", name="file.pdf"),
            content_type="application/pdf",
            size=8,
            visibility=visibility,
            uploaded_by=uploader,
        )
    the_member = member(email="member@example.org")
    came(
        webinar,
        "The Member",
        "member@example.org",
        registration=RegistrationFactory(webinar=webinar, user=the_member),
    )

    follow_up.draft_follow_up(actor=secretariat, webinar=webinar)

    public = OutboxMessage.objects.get(to_email="walk.in@example.org").body_text
    assert "The recording is on the webinar's page:" in public
    assert "Slides" in public
    assert "Members' brief" not in public and "Run sheet" not in public
    members = OutboxMessage.objects.get(to_email="member@example.org").body_text
    assert "Slides" in members and "Members' brief" in members
    assert "Run sheet" not in members


@pytest.mark.django_db
def test_nobody_is_drafted_twice(webinar, people, secretariat):
    follow_up.draft_follow_up(actor=secretariat, webinar=webinar)
    OutboxMessage.objects.filter(to_email="kofi@example.org").update(
        status=OutboxMessage.Status.SENT
    )
    OutboxMessage.objects.filter(to_email="walk.in@example.org").update(
        status=OutboxMessage.Status.DISCARDED
    )

    again = follow_up.draft_follow_up(actor=secretariat, webinar=webinar)

    assert (again.thanks, again.missed, again.skipped) == (0, 0, 4)
    assert OutboxMessage.objects.count() == 4
    # A newcomer in a later report is drafted alone, in the same batch.
    came(webinar, "Late Comer", "late@example.org")
    later = follow_up.draft_follow_up(actor=secretariat, webinar=webinar)
    assert later.thanks == 1
    assert OutboxMessage.objects.get(to_email="late@example.org").batch == again.thanks_batch
    assert audit.history(webinar).filter(action="webinars.follow_up_drafted").count() == 2


@pytest.mark.django_db
def test_the_import_drafts_the_follow_up_once(webinar, secretariat):
    RegistrationFactory(webinar=webinar, user=None, name="Ana Lopez", email="ana@example.org")
    RegistrationFactory(webinar=webinar, user=None, name="Absent", email="absent@example.org")
    report = reports.webex(
        [
            (
                "Ana Lopez",
                "ana@example.org",
                "03/10/2025 14:00",
                "03/10/2025 14:45",
                "45 mins",
                "Attendee",
            ),
            (
                "Kofi Mensah",
                "kofi@example.org",
                "03/10/2025 14:00",
                "03/10/2025 15:00",
                "60 mins",
                "Attendee",
            ),
        ]
    )

    service.preview(actor=secretariat, webinar=webinar, data=report)
    assert not OutboxMessage.objects.exists()  # the dry run drafts nothing
    service.import_attendance(actor=secretariat, webinar=webinar, data=report)
    service.import_attendance(actor=secretariat, webinar=webinar, data=report)

    assert [m.to_email for m in held(follow_up.THANKS)] == ["ana@example.org", "kofi@example.org"]
    assert [m.to_email for m in held(follow_up.MISSED)] == ["absent@example.org"]


@pytest.mark.django_db
def test_a_repeat_sessions_registrants_are_not_told_they_missed_it_before_it_took_place(
    webinar, secretariat
):
    later = timezone.now() + timedelta(days=1)
    repeat = RepeatSession.objects.create(webinar=webinar, planned_start=later, starts_at=later)
    RegistrationFactory(webinar=webinar, user=None, email="evening@example.org", repeat=repeat)

    drafts = follow_up.draft_follow_up(actor=secretariat, webinar=webinar)

    assert drafts.missed == 0


@pytest.mark.django_db
def test_only_the_hosts_and_the_secretariat_draft_and_only_after_the_webinar(webinar, people):
    with pytest.raises(PermissionDenied):
        follow_up.draft_follow_up(actor=ReaderFactory(), webinar=webinar)
    Webinar.objects.filter(pk=webinar.pk).update(state=Webinar.State.CANCELLED, starts_at=None)
    with pytest.raises(follow_up.FollowUpRefused):
        follow_up.draft_follow_up(actor=None, webinar=webinar)
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_approving_the_batch_delivers_the_thanks_through_smtp(smtp, run_worker):  # noqa: F811
    start = paris(2025, 3, 10, 14)
    webinar = WebinarFactory(
        proposal=ProposalFactory(title=TITLE),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )
    came(webinar, "Walk In", "walk.in@example.org")
    secretariat = SecretariatFactory()
    drafts = follow_up.draft_follow_up(actor=secretariat, webinar=webinar)

    run_worker()
    assert smtp.envelopes == []  # held: nothing leaves before the approval
    assert approve_batch(actor=secretariat, batch=drafts.thanks_batch, expected=1) == 1
    run_worker()

    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["walk.in@example.org"]
    [message] = smtp.messages
    assert str(make_header(decode_header(message["Subject"]))) == (
        f"Thank you for attending “{TITLE}”"
    )
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "/webinars/feedback/" in text.get_payload(decode=True).decode()
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def _webex_row(name: str, email: str) -> tuple[str, ...]:
    return (name, email, "03/10/2025 14:00", "03/10/2025 14:45", "45 mins", "Attendee")


@pytest.mark.django_db
def test_a_later_report_showing_she_came_withdraws_her_held_what_you_missed(webinar, secretariat):
    RegistrationFactory(webinar=webinar, user=None, name="Ana Lopez", email="ana@example.org")
    RegistrationFactory(webinar=webinar, user=None, name="Bo Li", email="bo@example.org")
    first = reports.webex([_webex_row("Ana Lopez", "ana@example.org")])
    service.import_attendance(actor=secretariat, webinar=webinar, data=first)
    [missed] = held(follow_up.MISSED)
    assert (missed.to_email, missed.status) == ("bo@example.org", HELD)

    corrected = reports.webex(
        [_webex_row("Ana Lopez", "ana@example.org"), _webex_row("Bo Li", "BO@example.org")]
    )
    service.import_attendance(actor=secretariat, webinar=webinar, data=corrected)

    missed.refresh_from_db()
    assert missed.status == OutboxMessage.Status.DISCARDED
    assert sorted((m.to_email.lower(), m.status) for m in held(follow_up.THANKS)) == [
        ("ana@example.org", HELD),
        ("bo@example.org", HELD),
    ]
    [discard] = audit.history(missed).filter(action="outbox.discard")
    assert discard.actor == secretariat
    # Importing the corrected file again changes nothing.
    service.import_attendance(actor=secretariat, webinar=webinar, data=corrected)
    assert OutboxMessage.objects.count() == 3


@pytest.mark.django_db
def test_a_sent_what_you_missed_is_left_as_it_is(webinar, secretariat):
    RegistrationFactory(webinar=webinar, user=None, name="Bo Li", email="bo@example.org")
    came(webinar, "Ana Lopez", "ana@example.org")
    follow_up.draft_follow_up(actor=secretariat, webinar=webinar)
    [missed] = held(follow_up.MISSED)
    OutboxMessage.objects.filter(pk=missed.pk).update(status=OutboxMessage.Status.SENT)

    report = reports.webex([_webex_row("Bo Li", "bo@example.org")])
    service.import_attendance(actor=secretariat, webinar=webinar, data=report)

    missed.refresh_from_db()
    assert missed.status == OutboxMessage.Status.SENT
    assert [m.to_email for m in held(follow_up.THANKS)] == ["ana@example.org", "bo@example.org"]


@pytest.mark.django_db
def test_a_hosts_later_import_withdraws_the_held_what_you_missed_too(webinar):
    # Whoever may draft the follow-up takes back its own untrue draft: nothing is sent.
    host = ReaderFactory()
    AffiliationFactory(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    RegistrationFactory(webinar=webinar, user=None, name="Bo Li", email="bo@example.org")
    came(webinar, "Ana Lopez", "ana@example.org")
    follow_up.draft_follow_up(actor=host, webinar=webinar)
    came(webinar, "Bo Li", "bo@example.org")

    drafts = follow_up.draft_follow_up(actor=host, webinar=webinar)

    assert (drafts.thanks, drafts.withdrawn) == (1, 1)
    assert [m.status for m in held(follow_up.MISSED)] == [OutboxMessage.Status.DISCARDED]
