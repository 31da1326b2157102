"""Messages drafted for approval: held, edited, approved (alone or by batch), discarded."""

import pytest
from django.core import mail
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.outbox import operations, queries
from deepdive.outbox.models import OutboxMessage, batch_key
from deepdive.outbox.tasks import deliver_message

pytestmark = pytest.mark.django_db

BATCH = "Decisions — call 2027"


def draft(to="a@example.org", batch=BATCH, **kwargs) -> OutboxMessage:
    return operations.queue_email(
        to=to,
        subject=kwargs.pop("subject", "Your proposal"),
        text=kwargs.pop("text", "Dear colleague,\n"),
        html=kwargs.pop("html", "<p>Dear colleague,</p>"),
        language=kwargs.pop("language", "fr"),
        kind="decision",
        hold=True,
        batch=batch,
        **kwargs,
    )


def status(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return message.status


# Operations ---------------------------------------------------------------------------------


def test_a_held_message_is_stored_without_a_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = draft(batch="  Decisions —  call 2027 ")
    assert callbacks == []
    assert (message.status, message.batch) == (OutboxMessage.Status.HELD, BATCH)
    assert mail.outbox == []


def test_a_templated_message_can_be_held(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = operations.queue_templated_email(
            to="b@example.org",
            template_prefix="proposals/email/reminder",
            context={},
            language="es",
            kind="decision",
            hold=True,
            batch=BATCH,
        )
    assert callbacks == []
    assert (message.status, message.batch, message.language) == ("held", BATCH, "es")


def test_the_worker_never_claims_a_held_message():
    message = draft()
    assert operations.claim(message_id=message.pk) is None
    # A stray task for it (the immediate backend runs it at once) sends nothing.
    assert deliver_message.enqueue(message_id=message.pk).return_value == "skipped"
    assert operations.requeue_stale(now=message.created_at + 2 * operations.STALE_AFTER) == 0
    assert status(message) == OutboxMessage.Status.HELD
    assert mail.outbox == []


def test_edit_changes_the_message_sanitises_its_html_and_is_audited(secretariat):
    message = draft(subject="Old subject", text="Old text\n")
    html = (
        '<p onclick="steal()" style="color:red">Hello <a href="javascript:alert(1)">x</a> '
        '<a href="https://example.org/call">call</a></p><script>alert(2)</script>'
        "<style>p{display:none}</style><img src=x onerror=alert(3)>"
    )
    assert operations.edit_held(
        actor=secretariat,
        message=message,
        subject="New\n subject",
        body_text="New text\n",
        body_html=html,
    )
    message.refresh_from_db()
    assert message.subject == "New subject"
    assert message.body_text == "New text\n"
    stored = message.body_html
    for bad in ("<script", "alert", "onclick", "onerror", "<style", "display:none", "javascript:"):
        assert bad not in stored
    assert stored.startswith('<!doctype html>\n<html lang="fr"><body>')
    assert '<a href="https://example.org/call" rel="noopener noreferrer">call</a>' in stored
    assert (message.edited_by, message.status) == (secretariat, OutboxMessage.Status.HELD)
    assert message.edited_at is not None
    entry = AuditEntry.objects.get(action="outbox.edit")
    assert entry.actor == secretariat
    assert entry.object_id == str(message.pk)
    assert entry.changes["subject"] == ["Old subject", "New subject"]
    assert entry.changes["body_text"] == ["Old text\n", "New text\n"]


def test_an_empty_html_body_is_dropped(secretariat):
    message = draft()
    operations.edit_held(
        actor=secretariat,
        message=message,
        subject="S",
        body_text="T",
        body_html="<script>x()</script>",
    )
    message.refresh_from_db()
    assert message.body_html == ""


def test_only_a_held_message_is_edited_or_discarded(secretariat):
    sent = draft()
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxMessage.Status.SENT)
    assert not operations.edit_held(
        actor=secretariat, message=sent, subject="X", body_text="X", body_html=""
    )
    assert not operations.discard_held(actor=secretariat, message=sent)
    sent.refresh_from_db()
    assert (sent.subject, sent.status) == ("Your proposal", OutboxMessage.Status.SENT)
    assert not AuditEntry.objects.exists()


def test_approve_queues_and_delivers_once(secretariat, django_capture_on_commit_callbacks):
    message = draft()
    with django_capture_on_commit_callbacks(execute=True):
        assert operations.approve(actor=secretariat, messages=[message]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert operations.approve(actor=secretariat, messages=[message]) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert (message.approved_by, message.approved_at is not None) == (secretariat, True)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert AuditEntry.objects.filter(action="outbox.approve").count() == 1


def test_approve_batch_is_idempotent_and_leaves_other_batches(
    secretariat, django_capture_on_commit_callbacks
):
    mine = [draft(to=f"p{i}@example.org") for i in range(3)]
    other = draft(to="other@example.org", batch="Newsletter 1")
    with django_capture_on_commit_callbacks(execute=True):
        assert operations.approve_batch(actor=secretariat, batch=BATCH, expected=3) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert operations.approve_batch(actor=secretariat, batch=BATCH, expected=3) == 0
    assert {status(m) for m in mine} == {OutboxMessage.Status.SENT}
    assert status(other) == OutboxMessage.Status.HELD
    assert len(mail.outbox) == 3
    [entry] = AuditEntry.objects.filter(action="outbox.approve")
    assert entry.changes == {"messages": [m.pk for m in mine], "batches": [BATCH]}


def test_approve_batch_refuses_when_the_batch_changed(secretariat):
    draft(to="a@example.org")
    draft(to="b@example.org")
    with pytest.raises(operations.BatchChanged) as changed:
        operations.approve_batch(actor=secretariat, batch=BATCH, expected=1)
    assert changed.value.held == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"held"}
    with pytest.raises(ValueError):
        operations.approve_batch(actor=secretariat, batch="")


def test_discard_keeps_the_row_and_it_is_never_approved(secretariat):
    message = draft()
    assert operations.discard_held(actor=secretariat, message=message)
    assert status(message) == OutboxMessage.Status.DISCARDED
    assert operations.approve(actor=secretariat, messages=[message]) == 0
    assert operations.approve_batch(actor=secretariat, batch=BATCH) == 0
    assert status(message) == OutboxMessage.Status.DISCARDED
    assert AuditEntry.objects.get(action="outbox.discard").object_id == str(message.pk)
    assert mail.outbox == []


def test_batch_keys_are_url_safe_and_distinct():
    key = batch_key(BATCH)
    assert key.startswith("decisions-call-2027-")
    assert key != batch_key("Decisions call 2027")
    assert batch_key("Décisions / appel") != batch_key("Décisions - appel")
    assert "/" not in batch_key("a/b") and batch_key("///").startswith("batch-")
    draft(batch="Décisions / appel")
    assert queries.batch_label(batch_key("Décisions / appel")) == "Décisions / appel"
    assert queries.batch_label(batch_key("unknown")) is None


# Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,method",
    [
        ("outbox:batch", "get"),
        ("outbox:approve_batch", "post"),
        ("outbox:edit", "post"),
        ("outbox:approve", "post"),
        ("outbox:discard", "post"),
    ],
)
def test_approval_pages_are_for_the_secretariat(client, django_user_model, name, method):
    message = draft()
    arg = batch_key(BATCH) if "batch" in name else message.pk
    url = reverse(name, args=[arg])
    data = {"expected": 1, "subject": "X", "body_text": "X"} if method == "post" else None

    anonymous = getattr(client, method)(url, data)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]

    member = django_user_model.objects.create_user(email="m@example.org", password="x-12345-y")
    client.force_login(member)
    assert getattr(client, method)(url, data).status_code == 403
    message.refresh_from_db()
    assert (message.status, message.subject) == (OutboxMessage.Status.HELD, "Your proposal")


def test_list_counts_and_filters_the_held_messages(secretariat_client):
    draft(to="held@example.org")
    operations.queue_email(to="queued@example.org", subject="S", text="T")  # sent at once
    page = secretariat_client.get(reverse("outbox:list")).content.decode()
    assert '<span class="outbox-count" id="count-held">1</span>' in page
    assert "waiting for approval" in page
    assert reverse("outbox:batch", args=[batch_key(BATCH)]) in page
    assert "1 message waits for approval" in page
    response = secretariat_client.get(reverse("outbox:list"), {"status": "held"})
    assert [m.to_email for m in response.context["page"]] == ["held@example.org"]


def test_batch_page_lists_the_held_messages_and_approves_them_once(
    secretariat_client, secretariat, django_capture_on_commit_callbacks
):
    first = draft(to="a@example.org", language="fr", subject="Votre proposition")
    draft(to="b@example.org", language="es", subject="Su propuesta")
    discarded = draft(to="c@example.org")
    operations.discard_held(actor=secretariat, message=discarded)
    url = reverse("outbox:batch", args=[batch_key(BATCH)])

    page = secretariat_client.get(url).content.decode()
    assert BATCH in page
    assert "Approve all 2 messages" in page
    assert 'name="expected" value="2"' in page
    assert "Votre proposition" in page and "Su propuesta" in page and ">es<" in page
    assert reverse("outbox:detail", args=[first.pk]) in page
    assert "c@example.org" not in page  # discarded: counted, not listed
    assert 'id="batch-count-discarded">1<' in page

    approve_url = reverse("outbox:approve_batch", args=[batch_key(BATCH)])
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(approve_url, {"expected": 2}, follow=True)
        again = secretariat_client.post(approve_url, {"expected": 2}, follow=True)  # double click
    assert "2 messages approved" in response.content.decode()
    assert "Nothing was left to approve in this batch." in again.content.decode()
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 2
    assert "No message of this batch waits for approval." in again.content.decode()


def test_batch_approval_refuses_a_stale_count(secretariat_client):
    draft(to="a@example.org")
    draft(to="b@example.org")
    url = reverse("outbox:approve_batch", args=[batch_key(BATCH)])
    response = secretariat_client.post(url, {"expected": 1}, follow=True)
    assert "the batch changed since you opened it" in response.content.decode()
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.HELD).exists()
    assert secretariat_client.post(url, {}).status_code == 302  # no count: nothing done
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.HELD).exists()


def test_unknown_batch_is_404(secretariat_client):
    assert secretariat_client.get(reverse("outbox:batch", args=["nope-0"])).status_code == 404


def test_detail_of_a_held_message_has_the_edit_form_and_the_buttons(secretariat_client):
    message = draft()
    page = secretariat_client.get(reverse("outbox:detail", args=[message.pk])).content.decode()
    for name in ("outbox:edit", "outbox:approve", "outbox:discard"):
        assert reverse(name, args=[message.pk]) in page
    assert 'name="subject" value="Your proposal"' in page
    assert "&lt;p&gt;Dear colleague,&lt;/p&gt;</textarea>" in page
    assert reverse("outbox:batch", args=[batch_key(BATCH)]) in page

    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.SENT)
    page = secretariat_client.get(reverse("outbox:detail", args=[message.pk])).content.decode()
    assert reverse("outbox:edit", args=[message.pk]) not in page
    assert reverse("outbox:approve", args=[message.pk]) not in page


def test_edit_from_the_page_saves_then_save_and_approve_sends(
    secretariat_client, secretariat, django_capture_on_commit_callbacks
):
    message = draft()
    url = reverse("outbox:edit", args=[message.pk])
    data = {
        "subject": "Décision",
        "body_text": "Line 1\r\nLine 2\r\n",
        "body_html": "<p>Line 1<script>x()</script></p>",
    }
    response = secretariat_client.post(url, data)
    assert response["Location"] == reverse("outbox:detail", args=[message.pk])
    message.refresh_from_db()
    assert (message.subject, message.body_text) == ("Décision", "Line 1\nLine 2\n")
    assert "<script" not in message.body_html and "<p>Line 1</p>" in message.body_html
    assert message.status == OutboxMessage.Status.HELD

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, {**data, "subject": "Décision finale", "approve": "1"})
    message.refresh_from_db()
    assert (message.status, message.approved_by) == (OutboxMessage.Status.SENT, secretariat)
    [sent] = mail.outbox
    assert sent.subject == "Décision finale"
    assert sent.body == "Line 1\nLine 2\n"


def test_an_edit_with_errors_keeps_what_was_typed(secretariat_client):
    message = draft()
    url = reverse("outbox:edit", args=[message.pk])
    response = secretariat_client.post(
        url, {"subject": "", "body_text": "My new text", "body_html": "<p>Mine</p>"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "My new text</textarea>" in page and "&lt;p&gt;Mine&lt;/p&gt;</textarea>" in page
    message.refresh_from_db()
    assert message.subject == "Your proposal"

    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.QUEUED)
    response = secretariat_client.post(
        url, {"subject": "Late", "body_text": "Late text", "body_html": ""}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "no longer waiting for approval" in page and "Late text</textarea>" in page
    message.refresh_from_db()
    assert message.subject == "Your proposal"


def test_approve_and_discard_from_the_page(secretariat_client, django_capture_on_commit_callbacks):
    kept, dropped = draft(to="k@example.org"), draft(to="d@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(reverse("outbox:approve", args=[kept.pk]))
    response = secretariat_client.post(reverse("outbox:discard", args=[dropped.pk]), follow=True)
    assert "Discarded: the message will not be sent." in response.content.decode()
    assert (status(kept), status(dropped)) == ("sent", "discarded")
    again = secretariat_client.post(reverse("outbox:approve", args=[dropped.pk]), follow=True)
    assert "was not waiting for approval" in again.content.decode()
    assert [m.to for m in mail.outbox] == [["k@example.org"]]
    assert OutboxMessage.objects.count() == 2
