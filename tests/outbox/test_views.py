import pytest
from django.urls import reverse

from deepdive.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def make(**fields) -> OutboxMessage:
    defaults = {
        "to_email": "a@example.org",
        "subject": "S",
        "body_text": "T",
        "from_email": "deepdive@example.org",
        "language": "en",
    }
    return OutboxMessage.objects.create(**{**defaults, **fields})


@pytest.mark.parametrize(
    "name,method",
    [
        ("outbox:list", "get"),
        ("outbox:detail", "get"),
        ("outbox:retry", "post"),
    ],
)
def test_outbox_pages_are_for_the_secretariat(client, django_user_model, name, method):
    message = make(status=OutboxMessage.Status.FAILED)
    url = reverse(name) if name == "outbox:list" else reverse(name, args=[message.pk])

    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]

    member = django_user_model.objects.create_user(email="m@example.org", password="x-12345-y")
    client.force_login(member)
    assert getattr(client, method)(url).status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_list_counts_filters_and_search(secretariat_client):
    make(
        to_email="alice@example.org",
        subject="Invitation",
        kind="invitation",
        status=OutboxMessage.Status.SENT,
    )
    make(
        to_email="bob@example.org",
        subject="Reminder",
        kind="reminder",
        status=OutboxMessage.Status.FAILED,
        attempts=5,
    )
    make(to_email="carol@example.org", subject="Reminder again", kind="reminder")

    page = secretariat_client.get(reverse("outbox:list")).content.decode()
    assert '<span class="outbox-count" id="count-queued">1</span>' in page
    assert '<span class="outbox-count" id="count-sent">1</span>' in page
    assert '<span class="outbox-count" id="count-failed">1</span>' in page
    assert '<span class="outbox-count" id="count-sending">0</span>' in page
    assert all(name in page for name in ("alice@", "bob@", "carol@"))
    assert "(UTC, UTC+00:00)" in page  # created, in the reader's zone

    def rows(**query):
        response = secretariat_client.get(reverse("outbox:list"), query)
        return [m.to_email for m in response.context["page"]]

    assert rows(status="failed") == ["bob@example.org"]
    assert rows(kind="reminder") == ["carol@example.org", "bob@example.org"]
    assert rows(q="AGAIN") == ["carol@example.org"]
    assert rows(q="alice") == ["alice@example.org"]
    assert rows(status="nonsense") == ["carol@example.org", "bob@example.org", "alice@example.org"]


def test_list_is_paginated_by_50(secretariat_client):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            to_email=f"p{i}@example.org",
            subject=f"S{i}",
            body_text="T",
            from_email="d@example.org",
            kind="bulk",
        )
        for i in range(51)
    )
    first = secretariat_client.get(reverse("outbox:list"), {"kind": "bulk"})
    assert len(first.context["page"]) == 50
    assert "kind=bulk&amp;page=2" in first.content.decode()
    second = secretariat_client.get(reverse("outbox:list"), {"kind": "bulk", "page": 2})
    assert len(second.context["page"]) == 1


def test_detail_shows_everything_and_sandboxes_the_html(secretariat_client, secretariat):
    message = make(
        subject="Welcome",
        body_text="Line one\n<b>not bold</b>",
        body_html='<p onclick="x()">Hi & "welcome"</p><script>alert(1)</script>',
        status=OutboxMessage.Status.FAILED,
        attempts=5,
        last_error="SMTPDataError: 550 no",
        kind="welcome",
        content_type=None,
    )
    from django.contrib.contenttypes.models import ContentType

    OutboxMessage.objects.filter(pk=message.pk).update(
        content_type=ContentType.objects.get_for_model(secretariat), object_id=str(secretariat.pk)
    )
    page = secretariat_client.get(reverse("outbox:detail", args=[message.pk])).content.decode()
    assert "<pre" in page and "Line one\n&lt;b&gt;not bold&lt;/b&gt;</pre>" in page
    assert (
        '<iframe class="outbox-html" sandbox srcdoc="&lt;p onclick=&quot;x()&quot;&gt;'
        "Hi &amp; &quot;welcome&quot;&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    )
    assert "<script>alert(1)" not in page
    assert "SMTPDataError: 550 no" in page
    assert str(secretariat) in page  # the related object
    assert reverse("outbox:retry", args=[message.pk]) in page


def test_retry_button_only_for_failed_messages(secretariat_client):
    message = make(status=OutboxMessage.Status.SENT)
    url = reverse("outbox:retry", args=[message.pk])
    assert (
        url
        not in secretariat_client.get(reverse("outbox:detail", args=[message.pk])).content.decode()
    )
    response = secretariat_client.post(url, follow=True)
    assert "Only a failed message can be sent again." in response.content.decode()
    assert secretariat_client.get(url).status_code == 405


def test_retry_requeues_and_sends(secretariat_client, django_capture_on_commit_callbacks):
    from django.core import mail

    message = make(status=OutboxMessage.Status.FAILED, attempts=5, last_error="550")
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(reverse("outbox:retry", args=[message.pk]))
    assert response["Location"] == reverse("outbox:detail", args=[message.pk])
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_unknown_message_is_404(secretariat_client):
    assert secretariat_client.get(reverse("outbox:detail", args=[999])).status_code == 404


def test_outbox_messages_are_read_only_in_the_admin(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        email="root@example.org", password="x-12345-y"
    )
    client.force_login(admin_user)
    message = make()
    assert client.get(reverse("admin:outbox_outboxmessage_changelist")).status_code == 200
    change = client.get(reverse("admin:outbox_outboxmessage_change", args=[message.pk]))
    assert change.status_code == 200
    assert 'name="subject"' not in change.content.decode()
    assert client.get(reverse("admin:outbox_outboxmessage_add")).status_code == 403


# --- Interrupted while sending ---------------------------------------------------------------


def interrupted(**fields) -> OutboxMessage:
    from datetime import timedelta

    from django.utils import timezone

    return make(
        status=OutboxMessage.Status.INTERRUPTED,
        attempts=1,
        claimed_at=timezone.now() - timedelta(minutes=5),
        **fields,
    )


def test_interrupted_messages_come_first_with_their_two_actions(secretariat_client):
    make(to_email="later@example.org", subject="Queued later")
    message = interrupted(to_email="host@example.org", subject="Your webinar is confirmed")

    page = secretariat_client.get(reverse("outbox:list")).content.decode()

    assert "1 message interrupted while sending" in page
    assert "may or may not have been sent" in page
    section = page[page.index('id="interrupted-messages"') : page.index("Filter the messages")]
    assert "Your webinar is confirmed" in section and "Queued later" not in section
    assert f'action="{reverse("outbox:resend", args=[message.pk])}"' in section
    assert f'action="{reverse("outbox:mark_sent", args=[message.pk])}"' in section
    assert ">Send again</button>" in section and ">Mark as sent</button>" in section
    assert '<span class="outbox-count" id="count-interrupted">1</span>' in page


def test_mark_as_sent_from_the_list_goes_back_to_it_and_a_double_click_does_nothing(
    secretariat_client,
):
    message = interrupted()
    url = reverse("outbox:mark_sent", args=[message.pk])
    back = reverse("outbox:list")

    first = secretariat_client.post(url, {"back": back})
    second = secretariat_client.post(url, {"back": back}, follow=True)

    assert first.status_code == 302 and first["Location"] == back
    page = second.content.decode()
    assert "This message was not interrupted; nothing was done." in page
    assert "interrupted while sending" not in page
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_the_detail_page_of_an_interrupted_message_offers_both_actions(secretariat_client):
    message = interrupted()
    page = secretariat_client.get(reverse("outbox:detail", args=[message.pk])).content.decode()
    assert reverse("outbox:resend", args=[message.pk]) in page
    assert reverse("outbox:mark_sent", args=[message.pk]) in page
    assert "may or may not have been sent" in page


@pytest.mark.parametrize("name", ["outbox:resend", "outbox:mark_sent"])
def test_members_cannot_resend_or_mark_sent(client, django_user_model, name):
    message = interrupted()
    member = django_user_model.objects.create_user(email="m@example.org", password="x-12345-y")
    client.force_login(member)
    assert client.post(reverse(name, args=[message.pk])).status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.INTERRUPTED


def test_the_secretariats_pages_count_the_interrupted_messages(secretariat_client):
    interrupted()
    interrupted()
    link = (
        f'<a class="badge bad" href="{reverse("outbox:list")}#interrupted-messages">'
        "2 interrupted while sending: resend or mark as sent</a>"
    )
    assert link in secretariat_client.get(reverse("core:dashboard")).content.decode()
    manage = secretariat_client.get(reverse("core:manage")).content.decode()
    assert "2 interrupted while sending: resend or mark as sent" in manage
