"""The host's workspace: who may work in it, the agenda adding up, files checked by their
content, who may download them, the readiness checklist, submitting, approving and sending
back, a change after approval, and the public page showing what the hosts prepared."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.webinars import preparation, readiness
from deepdive.webinars.models import Material, Speaker, Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.webinars.factories import (
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    WebinarFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def webinar():
    return WebinarFactory(proposal=ProposalFactory(title="Cocoa and child labour"), joining_url="")


@pytest.fixture
def host(webinar):
    person = ReaderFactory(name="Aïssata Koné")
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


@pytest.fixture
def secretariat():
    return SecretariatFactory()


def pdf_bytes() -> bytes:
    """A small but real PDF: one empty page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bytes() -> bytes:
    """A small but real Word document: one paragraph."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Agenda</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def complete(webinar, actor):
    """Fill every item of the checklist."""
    preparation.save_details(
        actor=actor,
        webinar=webinar,
        descriptions={"en": "How cooperatives find and help children at work."},
        languages_spoken=["en"],
        interpretation=[],
        interpretation_by="",
    )
    preparation.save_agenda(
        actor=actor,
        webinar=webinar,
        items=[preparation.AgendaLine("Welcome", 10), preparation.AgendaLine("Talks", 50)],
    )
    preparation.save_speakers(
        actor=actor,
        webinar=webinar,
        people=[
            preparation.Person(name="Ama Mensah", consents_to_listing=True),
            preparation.Person(
                name="Jean Dupont", role=Speaker.Role.MODERATOR, consents_to_listing=True
            ),
        ],
    )
    preparation.save_technical(
        actor=actor,
        webinar=webinar,
        platform="zoom",
        joining_url="https://zoom.example.org/j/123",
        dial_in="",
        test_call_on=date(2030, 1, 5),
    )
    webinar.refresh_from_db()
    return webinar


# ------------------------------------------------------------------------- who may


def test_workspace_page_refuses_a_non_host(client, webinar):
    client.force_login(member())
    response = client.get(reverse("webinars:workspace", kwargs={"pk": webinar.pk}))
    assert response.status_code == 403


def test_workspace_page_opens_for_a_host_and_the_secretariat(client, webinar, host, secretariat):
    url = reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    client.force_login(host)
    assert client.get(url).status_code == 200
    client.force_login(secretariat)
    assert client.get(url).status_code == 200


def test_services_refuse_a_non_host(webinar):
    stranger = member()
    with pytest.raises(PermissionDenied):
        preparation.save_agenda(
            actor=stranger, webinar=webinar, items=[preparation.AgendaLine("All", 60)]
        )
    with pytest.raises(PermissionDenied):
        preparation.submit_ready(actor=stranger, webinar=webinar)
    assert not webinar.agenda.exists()


def test_only_the_secretariat_approves_or_sends_back(webinar, host):
    complete(webinar, host)
    preparation.submit_ready(actor=host, webinar=webinar)
    with pytest.raises(PermissionDenied):
        preparation.approve(actor=host, webinar=webinar)
    with pytest.raises(PermissionDenied):
        preparation.send_back(actor=host, webinar=webinar, comment="Fine")


# ------------------------------------------------------------------------- the agenda


def test_agenda_durations_must_add_up_to_the_length(webinar, host):
    with pytest.raises(preparation.WorkspaceInvalid) as refused:
        preparation.save_agenda(
            actor=host,
            webinar=webinar,
            items=[preparation.AgendaLine("Welcome", 10), preparation.AgendaLine("Talks", 40)],
        )
    assert refused.value.messages() == [
        "The agenda lasts 50 minutes; the webinar lasts 60. Make them agree."
    ]
    assert not webinar.agenda.exists()
    preparation.save_agenda(
        actor=host,
        webinar=webinar,
        items=[preparation.AgendaLine("Welcome", 10), preparation.AgendaLine("Talks", 50)],
    )
    assert [str(item) for item in webinar.agenda.all()] == ["Welcome (10 min)", "Talks (50 min)"]
    entry = AuditEntry.objects.get(action="webinars.agenda_saved")
    assert entry.changes == {"agenda": [[], [["Welcome", 10], ["Talks", 50]]]}
    webinar.refresh_from_db()
    assert webinar.host_active_at is not None


def test_agenda_form_keeps_what_was_typed_with_the_message(client, webinar, host):
    client.force_login(host)
    url = reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    response = client.post(
        url,
        {
            "section": "agenda",
            "agenda-TOTAL_FORMS": "2",
            "agenda-INITIAL_FORMS": "0",
            "agenda-0-title": "Welcome",
            "agenda-0-minutes": "15",
            "agenda-1-title": "Talks",
            "agenda-1-minutes": "30",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The agenda lasts 45 minutes; the webinar lasts 60. Make them agree." in page
    assert 'value="Welcome"' in page and 'value="30"' in page


# ------------------------------------------------------------------------- materials


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_real_pdf_and_docx_are_accepted_by_their_content(webinar, host):
    pdf = preparation.add_material(
        actor=host,
        webinar=webinar,
        title="Slides",
        upload=upload("slides.pdf", pdf_bytes()),
        visibility="public",
    )
    docx = preparation.add_material(
        actor=host,
        webinar=webinar,
        title="Notes",
        upload=upload("notes.docx", docx_bytes()),
        visibility="members",
    )
    assert (pdf.content_type, docx.content_type) == (preparation.PDF, preparation.DOCX)
    with pdf.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


def test_a_file_not_the_type_its_name_claims_is_refused(webinar, host):
    with pytest.raises(preparation.WorkspaceInvalid) as refused:
        preparation.add_material(
            actor=host,
            webinar=webinar,
            title="Slides",
            upload=upload("slides.pdf", docx_bytes()),
            visibility="public",
        )
    assert refused.value.errors == {
        "file": ["This file is not the type its name claims: its content is Word (DOCX)."]
    }
    with pytest.raises(preparation.WorkspaceInvalid) as refused:
        preparation.add_material(
            actor=host,
            webinar=webinar,
            title="Run me",
            upload=upload("slides.pptx", b"MZ\x90\x00 not a presentation"),
            visibility="public",
        )
    assert refused.value.errors == {
        "file": ["Upload a PDF, PowerPoint (PPTX) or Word (DOCX) file."]
    }
    assert not Material.objects.exists()


def test_a_file_over_the_limit_is_refused(webinar, host, settings):
    settings.WEBINAR_MATERIAL_MAX_BYTES = 100
    with pytest.raises(preparation.WorkspaceInvalid) as refused:
        preparation.add_material(
            actor=host,
            webinar=webinar,
            title="Slides",
            upload=upload("slides.pdf", pdf_bytes()),
            visibility="public",
        )
    assert list(refused.value.errors) == ["file"]
    assert "the limit is 0.0 MB" in refused.value.errors["file"][0]


def test_downloads_follow_each_files_visibility(client, host):
    webinar = PublishedWebinarFactory()
    AffiliationFactory(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    files = {
        visibility: preparation.add_material(
            actor=host,
            webinar=webinar,
            title=visibility,
            upload=upload(f"{visibility}.pdf", pdf_bytes()),
            visibility=visibility,
        )
        for visibility in ("public", "members", "hosts")
    }

    def status(material):
        response = client.get(reverse("webinars:material", kwargs={"pk": material.pk}))
        # Read a file to its end: the test client then closes it as a server would (closing
        # it by hand would also close the test's database connection, on PostgreSQL).
        if response.streaming:
            b"".join(response.streaming_content)
        return response.status_code

    def statuses():
        return {visibility: status(m) for visibility, m in files.items()}

    assert statuses() == {"public": 200, "members": 302, "hosts": 302}
    client.force_login(ReaderFactory())
    assert statuses() == {"public": 200, "members": 404, "hosts": 404}
    client.force_login(member())
    assert statuses() == {"public": 200, "members": 200, "hosts": 404}
    client.force_login(host)
    assert statuses() == {"public": 200, "members": 200, "hosts": 200}
    response = client.get(reverse("webinars:material", kwargs={"pk": files["hosts"].pk}))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# ------------------------------------------------------------------------- readiness


def test_submit_refused_until_complete_then_approved(webinar, host, secretariat):
    with pytest.raises(preparation.WorkspaceRefused) as refused:
        preparation.submit_ready(actor=host, webinar=webinar)
    assert "Add the agenda, with a duration for each item." in str(refused.value)
    complete(webinar, host)
    assert readiness.missing(webinar) == []
    webinar = preparation.submit_ready(actor=host, webinar=webinar)
    assert webinar.submitted_at is not None
    webinar = preparation.approve(actor=secretariat, webinar=webinar)
    assert webinar.state == Webinar.State.READY
    assert [
        e.action
        for e in AuditEntry.objects.filter(
            action__in=["webinars.submitted", "webinars.approved"]
        ).order_by("pk")
    ] == ["webinars.submitted", "webinars.approved"]


def test_send_back_shows_the_comment_to_the_host(client, webinar, host, secretariat):
    complete(webinar, host)
    preparation.submit_ready(actor=host, webinar=webinar)
    with pytest.raises(preparation.WorkspaceInvalid):
        preparation.send_back(actor=secretariat, webinar=webinar, comment="  ")
    preparation.send_back(actor=secretariat, webinar=webinar, comment="Add a second speaker.")
    webinar.refresh_from_db()
    assert (webinar.state, webinar.submitted_at) == (Webinar.State.PREPARING, None)
    client.force_login(host)
    page = client.get(reverse("webinars:workspace", kwargs={"pk": webinar.pk})).content.decode()
    assert "Add a second speaker." in page


def test_a_change_after_approval_is_flagged(client, webinar, host, secretariat):
    complete(webinar, host)
    preparation.submit_ready(actor=host, webinar=webinar)
    preparation.approve(actor=secretariat, webinar=webinar)
    preparation.save_technical(
        actor=host,
        webinar=webinar,
        platform="teams",
        joining_url="https://teams.example.org/meet/1",
        dial_in="",
        test_call_on=date(2030, 1, 5),
    )
    webinar.refresh_from_db()
    assert webinar.changed_after_approval is True
    client.force_login(secretariat)
    page = client.get(reverse("webinars:workspace", kwargs={"pk": webinar.pk})).content.decode()
    assert "Changed after approval" in page
    preparation.approve(actor=secretariat, webinar=webinar)
    webinar.refresh_from_db()
    assert webinar.changed_after_approval is False


def test_joining_link_must_be_https(webinar, host):
    with pytest.raises(preparation.WorkspaceInvalid) as refused:
        preparation.save_technical(
            actor=host,
            webinar=webinar,
            platform="zoom",
            joining_url="http://zoom.example.org/j/1",
            dial_in="",
            test_call_on=None,
        )
    assert refused.value.errors == {
        "joining_url": ["Give the joining link (it starts with https://)."]
    }


def test_a_published_webinars_new_link_raises_the_sequence(webinar, host):
    published = PublishedWebinarFactory(joining_url="https://zoom.example.org/j/1")
    AffiliationFactory(
        user=host,
        organisation=published.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    before = published.sequence
    preparation.save_technical(
        actor=host,
        webinar=published,
        platform="zoom",
        joining_url="https://zoom.example.org/j/2",
        dial_in="",
        test_call_on=None,
    )
    published.refresh_from_db()
    assert published.sequence == before + 1
    preparation.save_technical(
        actor=host,
        webinar=published,
        platform="zoom",
        joining_url="https://zoom.example.org/j/2",
        dial_in="",
        test_call_on=date(2030, 1, 1),
    )
    published.refresh_from_db()
    assert published.sequence == before + 1


def test_a_new_link_sends_the_update_to_registrants(host, django_capture_on_commit_callbacks):
    invitations = pytest.importorskip("deepdive.webinars.invitations")
    published = PublishedWebinarFactory(joining_url="https://zoom.example.org/j/1")
    AffiliationFactory(
        user=host,
        organisation=published.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    sent = []
    original = invitations.send_updates
    invitations.send_updates = lambda *, webinar: sent.append(webinar.sequence) or 0
    try:
        with django_capture_on_commit_callbacks(execute=True):
            preparation.save_technical(
                actor=host,
                webinar=published,
                platform="zoom",
                joining_url="https://zoom.example.org/j/2",
                dial_in="",
                test_call_on=None,
            )
    finally:
        invitations.send_updates = original
    assert sent == [published.sequence + 1]


# ------------------------------------------------------------------------- the public page


def test_public_page_shows_description_agenda_consented_speakers_and_public_files(client, host):
    webinar = PublishedWebinarFactory()
    AffiliationFactory(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    complete(webinar, host)
    preparation.save_details(
        actor=host,
        webinar=webinar,
        descriptions={"fr": "Comment les coopératives agissent."},
        languages_spoken=["fr"],
        interpretation=[],
        interpretation_by="",
    )
    preparation.save_speakers(
        actor=host,
        webinar=webinar,
        people=[
            preparation.Person(name="Ama Mensah", consents_to_listing=True),
            preparation.Person(name="Hidden Person", consents_to_listing=False),
        ],
    )
    preparation.add_material(
        actor=host,
        webinar=webinar,
        title="Public slides",
        upload=upload("slides.pdf", pdf_bytes()),
        visibility="public",
    )
    preparation.add_material(
        actor=host,
        webinar=webinar,
        title="Hosts' notes",
        upload=upload("notes.pdf", pdf_bytes()),
        visibility="hosts",
    )
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert "Comment les coopératives agissent." in page
    assert "Not yet available in your language" in page
    assert "Welcome" in page and "Talks" in page
    assert "Ama Mensah" in page and "Hidden Person" not in page
    assert "Public slides" in page and "Hosts&#x27; notes" not in page


def test_approve_refuses_a_webinar_not_submitted_and_a_second_click_is_harmless(
    webinar, host, secretariat
):
    complete(webinar, host)
    with pytest.raises(preparation.WorkspaceRefused) as refused:
        preparation.approve(actor=secretariat, webinar=webinar)
    assert str(refused.value) == "The hosts have not submitted this webinar as ready yet."
    preparation.submit_ready(actor=host, webinar=webinar)
    preparation.submit_ready(actor=host, webinar=webinar)
    preparation.approve(actor=secretariat, webinar=webinar)
    preparation.approve(actor=secretariat, webinar=webinar)
    assert [
        e.action
        for e in AuditEntry.objects.filter(
            action__in=["webinars.submitted", "webinars.approved"]
        ).order_by("pk")
    ] == ["webinars.submitted", "webinars.approved"]


def test_a_cancelled_webinar_cannot_be_submitted_or_sent_back(webinar, host, secretariat):
    complete(webinar, host)
    Webinar.objects.filter(pk=webinar.pk).update(state=Webinar.State.CANCELLED)
    with pytest.raises(preparation.WorkspaceRefused):
        preparation.submit_ready(actor=host, webinar=webinar)
    with pytest.raises(preparation.WorkspaceRefused):
        preparation.send_back(actor=secretariat, webinar=webinar, comment="Add a speaker.")


def test_every_section_posts_to_the_page_and_comes_back_to_its_part(client, webinar, host):
    client.force_login(host)
    url = reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    response = client.post(
        url,
        {
            "section": "technical",
            "technical-platform": "zoom",
            "technical-joining_url": "https://zoom.example.org/j/9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}#technical"
    response = client.post(url, {"section": "technical", "technical-joining_url": "http://x"})
    assert response.status_code == 400
    assert "Give the joining link (it starts with https://)." in response.content.decode()
    assert client.post(url, {"section": "nothing"}).status_code == 404
