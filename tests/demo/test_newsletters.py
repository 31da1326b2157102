"""The demo's newsletter issues: one already sent to the workers' organisations, its web version
public; one draft in English, French and Spanish for the secretariat to preview and send."""

import pytest
from django.urls import reverse

from deepdive.communications import campaigns, newsletters
from deepdive.communications.models import Campaign, NewsletterIssue
from deepdive.demo.newsletters import DRAFT_SUBJECT, SENT_SUBJECT
from deepdive.demo.operations import load_demo
from deepdive.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_issue_was_sent_to_the_workers_organisations_and_its_web_version_is_public(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker's deliveries
        load_demo(password=PASSWORD)
    issue = NewsletterIssue.objects.get(subject=SENT_SUBJECT)
    campaign = Campaign.objects.get(issue=issue)
    assert str(campaign) == f"Newsletter: {SENT_SUBJECT}"
    assert campaign.status == Campaign.Status.DONE
    progress = campaigns.progress(campaign)
    assert progress.sent == progress.total >= 5
    languages = set(
        OutboxMessage.objects.filter(batch=campaign.batch).values_list("language", flat=True)
    )
    assert languages >= {"en", "fr"}
    french = OutboxMessage.objects.filter(batch=campaign.batch, language="fr").first()
    assert french.subject.startswith("Les ateliers Deep Dive")

    web = client.get(
        reverse(
            "communications:newsletter_web", kwargs={"slug": issue.series.slug, "pk": issue.pk}
        ),
        {"lang": "es"},
    )
    assert web.status_code == 200
    assert "Han comenzado los talleres Deep Dive" in web.text


def test_a_draft_issue_waits_in_three_languages_with_a_block():
    load_demo(password=PASSWORD)
    draft = NewsletterIssue.objects.get(subject=DRAFT_SUBJECT)
    assert draft.status == NewsletterIssue.Status.DRAFT
    assert newsletters.campaign_of(draft) is None
    assert not newsletters.is_public(draft)
    assert len(draft.blocks) == 1
    assert set(draft.blocks[0]["heading"]) == set(draft.blocks[0]["body"]) == {"en", "fr", "es"}
    for language, words in (
        ("en", "recording library"),
        ("fr", "bibliothèque des enregistrements"),
        ("es", "biblioteca de grabaciones"),
    ):
        rendered = newsletters.render(
            draft, reader=newsletters.Reader("", "", language, ""), web=True
        )
        assert words in rendered.text, language
        assert str(draft.local_text("subject", language)) == rendered.subject
    assert rendered.subject.startswith("Próximamente")


def test_loading_again_writes_no_issue_twice():
    load_demo(password=PASSWORD)
    again = load_demo(password=PASSWORD)
    assert again["newsletter issues"] == again["campaigns"] == 0
    assert NewsletterIssue.objects.count() == 2
    assert Campaign.objects.exclude(issue=None).count() == 1
