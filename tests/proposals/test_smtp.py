"""The confirmation e-mail goes out through a real SMTP server (aiosmtpd on 127.0.0.1) by the
real database task worker, as in production."""

import pytest
from django.urls import reverse

from deepdive.proposals.models import Proposal

from .conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_confirmation_is_delivered_over_smtp_in_text_and_html(
    smtp,
    run_worker,
    member,
    call,
    organisation,
    client,  # noqa: F811
):
    member.language = "es"
    member.save()
    client.force_login(member)
    response = client.post(
        reverse("proposals:new", kwargs={"call_id": call.pk}), form_data(None, organisation)
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert smtp.envelopes == []  # queued, not sent, until the worker runs

    run_worker()

    [received] = smtp.messages
    assert received["To"] == "amina@tea.example"
    assert "Living wages on tea estates" in received["Subject"]
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in received.walk()
        if not part.is_multipart()
    }
    edit = f"http://testserver/proposals/{proposal.pk}/edit/"
    assert "Grace Banda" in parts["text/plain"] and edit in parts["text/plain"]
    assert "Grace Banda" in parts["text/html"] and edit in parts["text/html"]
    assert 'lang="es"' in parts["text/html"]
