"""Newsletter issues: composed from the programme in each recipient's language and zone,
sanitised, CSS inlined, a text part of its own, a test to oneself only, a campaign of held
messages for approval, and a web version public only once sent."""

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from deepdive.communications import audiences, campaigns, newsletters
from deepdive.communications.audiences import Audience
from deepdive.communications.models import Campaign, NewsletterIssue
from deepdive.core.models import AuditEntry
from deepdive.outbox import consent
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import Recording, Registration
from tests.accounts.factories import SecretariatFactory
from tests.outbox.conftest import db_tasks, run_worker, smtp, smtp_server  # noqa: F401
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    rules_for,
)

STATUS = OutboxMessage.Status
START = datetime(2031, 3, 4, 13, 0, tzinfo=UTC)  # 14:00 in Paris, 08:00 in Lima


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def programme():
    """A series whose call is open (closing 1 June 2031, 17:00 UTC) with one webinar to come,
    one with a recording published 3 days ago, one published 60 days ago, and one whose
    recording is not published; and another series' webinar to come."""
    call = CallFactory(closes_at=datetime(2031, 6, 1, 17, 0, tzinfo=UTC))
    call.texts = {"fr": {"title": "Appel à propositions"}}
    call.save()
    rules_for(call, "Asia/Bangkok")  # the series' reference zone
    coming = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Cocoa and child labour"),
        starts_at=START,
        planned_start=START,
    )
    past = timezone.now() - timedelta(days=70)
    recorded = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Fishing fleets, recorded"), starts_at=past
    )
    old = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="An old recording"), starts_at=past
    )
    unpublished = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Not published yet"), starts_at=past
    )
    for webinar, days in ((recorded, 3), (old, 60), (unpublished, None)):
        Recording.objects.create(
            webinar=webinar,
            url="https://www.youtube.com/watch?v=abc",
            provider="youtube",
            video_id="abc",
            language="en",
            published_at=timezone.now() - timedelta(days=days) if days else None,
        )
    PublishedWebinarFactory(proposal=ProposalFactory(title="Another series' webinar"))
    return call.series, coming


def write(series, actor=None, **values):
    values = {"subject": "News of June", "introduction": "Hello all.", **values}
    return newsletters.save_issue(actor=actor or SecretariatFactory(), series=series, **values)


def register(webinar, email, *, language="en", zone="", name="", consent_=True):
    return Registration.objects.create(
        webinar=webinar,
        email=email,
        name=name or email.split("@")[0].title(),
        language=language,
        timezone=zone,
        consents_to_contact=consent_,
    )


def reader(language="en", zone="", email="reader@example.org", name="Ama"):
    return newsletters.Reader(email=email, name=name, language=language, zone=zone)


@pytest.mark.django_db
def test_the_issue_is_composed_from_the_programme_in_the_readers_zone(programme):
    series, coming = programme
    issue = write(series)

    rendered = newsletters.render(issue, reader=reader(zone="America/Lima"))

    assert rendered.subject == "News of June"
    assert "Cocoa and child labour" in rendered.text
    assert "Another series' webinar" not in rendered.text
    assert "Tuesday 4 March 2031, 08:00–09:00 (America/Lima, UTC-05:00)" in rendered.text
    assert f"http://testserver/webinars/{coming.pk}/#register-title" in rendered.text
    assert f"http://testserver/webinars/{coming.pk}/card/en/preview.png" in rendered.html
    assert 'alt="' in rendered.html and "Cocoa and child labour" in rendered.html
    assert "Fishing fleets, recorded" in rendered.text  # published 3 days ago
    assert "An old recording" not in rendered.text  # 60 days ago: before the 30 days
    assert "Not published yet" not in rendered.text
    assert "Deadline: Sunday 1 June 2031, 12:00 (America/Lima, UTC-05:00)" in rendered.text


@pytest.mark.django_db
def test_a_reader_without_a_zone_gets_the_series_zone_and_sections_can_be_left_out(programme):
    series, _coming = programme
    issue = write(
        series, include_recordings=False, include_call=False, blocks=[{"heading": {"en": "A"}}]
    )
    text = newsletters.render(issue, reader=reader()).text
    assert "20:00–21:00 (Asia/Bangkok, UTC+07:00)" in text
    assert "Fishing fleets" not in text
    assert "Deadline" not in text


@pytest.mark.django_db
def test_each_language_has_its_texts_and_falls_back_to_english(programme):
    series, _coming = programme
    issue = write(
        series,
        texts={"fr": {"subject": "Nouvelles de juin", "introduction": "Bonjour à tous."}},
        blocks=[
            {
                "heading": {"en": "Our partners", "fr": "Nos partenaires"},
                "body": {"en": "<p>Welcome to <b>three</b> new partners.</p>"},
            }
        ],
    )

    french = newsletters.render(issue, reader=reader("fr", "Europe/Paris"))
    spanish = newsletters.render(issue, reader=reader("es"))

    assert french.subject == "Nouvelles de juin"
    assert "Bonjour à tous." in french.text
    assert "== Nos partenaires ==" in french.text
    assert "Welcome to three new partners." in french.text  # the body in English
    assert "mardi 4 mars 2031, 14:00–15:00 (Europe/Paris, UTC+01:00)" in french.text
    assert "Appel à propositions" in french.text
    assert '<html lang="fr">' in french.html
    assert "/card/fr/preview.png" in french.html
    assert spanish.subject == "News of June"  # not written in Spanish: English
    assert "Hello all." in spanish.text
    assert "== Our partners ==" in spanish.text


@pytest.mark.django_db
def test_unsafe_html_is_cleaned_not_refused(programme):
    series, _coming = programme
    issue = write(
        series,
        blocks=[
            {
                "heading": {"en": "Read <this>"},
                "body": {
                    "en": '<p onclick="steal()">Safe <a href="javascript:alert(1)">link</a>'
                    '<script>alert(1)</script> and <a href="https://ilo.org">ILO</a></p>'
                    "<style>p{}</style>"
                },
            }
        ],
    )

    body = issue.blocks[0]["body"]["en"]
    assert "script" not in body and "onclick" not in body and "javascript" not in body
    assert "<style" not in body
    assert '<a href="https://ilo.org"' in body
    html = newsletters.render(issue, reader=reader()).html
    assert "Read &lt;this&gt;" in html
    assert "steal" not in html and "<script" not in html


@pytest.mark.django_db
def test_the_html_has_its_css_inlined_and_the_text_its_own_template(programme):
    series, _coming = programme
    issue = write(
        series,
        blocks=[{"body": {"en": '<p>See <a href="https://ilo.org/report">the report</a>.</p>'}}],
    )

    rendered = newsletters.render(issue, reader=reader())

    assert "<style" not in rendered.html  # inlined into the elements
    assert 'class="masthead" style="' in rendered.html
    assert "background-color: #1e2dbe" in rendered.html
    assert 'role="presentation"' in rendered.html
    assert "<" not in rendered.text  # no HTML in the text part
    assert "See the report (https://ilo.org/report)." in rendered.text
    assert "== Coming webinars ==" in rendered.text
    assert "View in your browser: http://testserver/newsletter/" in rendered.text
    assert "No more newsletters: http://testserver/" in rendered.text


@pytest.mark.django_db
def test_a_missing_subject_an_empty_issue_and_a_stranger_are_refused(programme):
    series, _coming = programme
    secretariat = SecretariatFactory()
    with pytest.raises(newsletters.NewsletterRefused) as missing:
        newsletters.save_issue(actor=secretariat, series=series, subject="  ")
    assert "subject" in missing.value.errors
    with pytest.raises(newsletters.NewsletterRefused) as empty:
        newsletters.save_issue(
            actor=secretariat,
            series=series,
            subject="Nothing",
            include_upcoming=False,
            include_recordings=False,
            include_call=False,
            blocks=[{"heading": {"en": ""}, "body": {"en": "<script>x</script>"}}],
        )
    assert "nothing in it" in " ".join(empty.value.messages())
    with pytest.raises(PermissionDenied):
        newsletters.save_issue(actor=ReaderFactory(), series=series, subject="Mine")
    assert not NewsletterIssue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_test_goes_to_the_actor_alone_and_changes_nothing(programme, smtp, run_worker):  # noqa: F811
    series, coming = programme
    secretariat = SecretariatFactory(email="sam@ilo.example")
    register(coming, "someone@example.org")
    issue = write(series, actor=secretariat)

    message = newsletters.send_test(actor=secretariat, issue=issue, language="fr")
    run_worker()

    assert message.category == "newsletter" and message.kind == "newsletter_test"
    assert [rcpt for e in smtp.envelopes for rcpt in e.rcpt_tos] == ["sam@ilo.example"]
    received = smtp.messages[0]
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(make_header(decode_header(received["Subject"]))) == "News of June"
    assert not Campaign.objects.exists()
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT
    assert AuditEntry.objects.filter(action="communications.newsletter_tested").count() == 1


@pytest.mark.django_db
def test_sending_for_approval_drafts_one_held_message_per_person(programme):
    series, coming = programme
    secretariat = SecretariatFactory()
    register(coming, "lucia@example.org", language="es", zone="America/Lima")
    register(coming, "marie@example.org", language="fr")
    register(coming, "gone@example.org")
    consent.unsubscribe(address="gone@example.org", scope="newsletter")
    issue = write(series, actor=secretariat)
    news = Audience(series.pk, audiences.SERIES_NEWS)

    campaign, drafted = newsletters.send_for_approval(
        actor=secretariat, issue=issue, audience=news, rate_per_minute=5
    )

    assert drafted == 3
    assert campaign.issue == issue
    messages = {m.to_email: m for m in OutboxMessage.objects.filter(batch=campaign.batch)}
    assert messages["lucia@example.org"].status == STATUS.HELD
    assert messages["lucia@example.org"].language == "es"
    assert "08:00–09:00 (America/Lima, UTC-05:00)" in messages["lucia@example.org"].body_text
    assert "List-Unsubscribe" in messages["marie@example.org"].headers
    assert messages["marie@example.org"].category == "newsletter"
    assert 'style="' in messages["marie@example.org"].body_html
    assert messages["gone@example.org"].status == STATUS.SUPPRESSED
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT

    with pytest.raises(newsletters.NewsletterRefused):  # pressed twice: nothing more
        newsletters.send_for_approval(actor=secretariat, issue=issue, audience=news)
    with pytest.raises(newsletters.NewsletterRefused):  # and it no longer changes
        newsletters.save_issue(actor=secretariat, series=series, issue=issue, subject="Late")
    assert OutboxMessage.objects.filter(batch=campaign.batch).count() == 3
    assert Campaign.objects.count() == 1

    # The secretariat approves it on the campaign's page: it leaves at the campaign's pace.
    assert campaigns.start_sending(actor=secretariat, campaign=campaign) == 2


@pytest.mark.django_db
def test_an_audience_of_zero_is_refused_beside_the_field(programme):
    series, _coming = programme
    secretariat = SecretariatFactory()
    issue = write(series, actor=secretariat)
    with pytest.raises(newsletters.NewsletterRefused) as refused:
        newsletters.send_for_approval(
            actor=secretariat, issue=issue, audience=Audience(series.pk, audiences.SERIES_NEWS)
        )
    assert "Nobody is in this audience" in refused.value.errors["kind"][0]
    assert not Campaign.objects.exists()
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT


@pytest.mark.django_db
def test_an_invitation_to_the_programme_never_joins_a_newsletters_campaign(programme):
    series, coming = programme
    secretariat = SecretariatFactory()
    register(coming, "one@example.org")
    news = Audience(series.pk, audiences.SERIES_NEWS)
    newsletter, _n = newsletters.send_for_approval(
        actor=secretariat, issue=write(series, actor=secretariat), audience=news
    )
    invitation, drafted = campaigns.draft_campaign(actor=secretariat, series=series, audience=news)
    assert invitation.pk != newsletter.pk and drafted == 1


@pytest.mark.django_db
def test_the_web_version_is_public_only_once_sent_and_has_no_personal_data(client, programme):
    series, coming = programme
    secretariat = SecretariatFactory()
    register(coming, "ama@example.org", name="Ama Owusu")
    issue = write(series, actor=secretariat)
    url = reverse("communications:newsletter_web", args=[series.slug, issue.pk])

    assert client.get(url).status_code == 404  # a draft
    campaign, _n = newsletters.send_for_approval(
        actor=secretariat, issue=issue, audience=Audience(series.pk, audiences.SERIES_NEWS)
    )
    assert client.get(url).status_code == 404  # waiting for approval
    campaigns.start_sending(actor=secretariat, campaign=campaign)

    page = client.get(url, {"lang": "fr"})
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Cocoa and child labour" in page.text
    assert "(Asia/Bangkok, UTC+07:00)" in page.text  # the series' zone
    assert "Ama" not in page.text and "unsubscribe" not in page.text
    assert "View in your browser" not in page.text
    assert len(page.content) < 60 * 1024
    assert (
        client.get(reverse("communications:newsletter_web", args=["other", issue.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_pages_are_for_the_secretariat(client, programme):
    series, _coming = programme
    issue = write(series)
    client.force_login(ReaderFactory())
    for url in (
        reverse("communications:newsletters", args=[series.slug]),
        reverse("communications:newsletter_new", args=[series.slug]),
        reverse("communications:newsletter", args=[issue.pk]),
        reverse("communications:newsletter_edit", args=[issue.pk]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("communications:newsletter_test", args=[issue.pk])).status_code == 403
    )


@pytest.mark.django_db
def test_the_form_keeps_what_was_typed_and_says_what_is_missing(client, programme):
    series, _coming = programme
    client.force_login(SecretariatFactory())
    new = reverse("communications:newsletter_new", args=[series.slug])

    page = client.post(
        new,
        {
            "subject": "",
            "subject_fr": "Nouvelles",
            "block1_body_en": "<p>Kept</p>",
            "recordings_days": "30",
            "include_upcoming": "on",
            "blocks": "1",
        },
    )

    assert page.status_code == 422
    assert "This field is required." in page.text
    assert 'value="Nouvelles"' in page.text
    assert "&lt;p&gt;Kept&lt;/p&gt;" in page.text
    assert not NewsletterIssue.objects.exists()

    saved = client.post(
        new, {"subject": "June", "recordings_days": "30", "include_call": "on", "blocks": "1"}
    )
    issue = NewsletterIssue.objects.get()
    assert saved.url == reverse("communications:newsletter", args=[issue.pk])
    preview = client.get(saved.url, {"lang": "fr"})
    assert "srcdoc=" in preview.text
    assert "unsafe-inline" in preview["Content-Security-Policy"]


@pytest.mark.django_db
def test_sending_to_nobody_is_refused_beside_the_field_on_the_page(client, programme):
    series, _coming = programme
    secretariat = SecretariatFactory()
    issue = write(series, actor=secretariat)
    client.force_login(secretariat)

    page = client.post(
        reverse("communications:newsletter_send", args=[issue.pk]),
        {"kind": "series_news", "rate_per_minute": "60"},
    )

    assert page.status_code == 422
    assert "Nobody is in this audience: there is no one to send it to." in page.text
    assert 'value="series_news" selected' in page.text  # kept what was chosen
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_the_fields_in_braces_are_filled_for_each_reader(programme):
    series, _coming = programme
    issue = write(
        series,
        subject="News for {name}",
        introduction="Dear {name}, welcome to {series}.",
        blocks=[{"heading": {"en": "For { name }"}, "body": {"en": "<p>Hello {name}</p>"}}],
    )

    mine = newsletters.render(issue, reader=reader(name="Ama <Osei>"))
    web = newsletters.render(issue, reader=reader(name="Ama"), web=True)

    assert mine.subject == "News for Ama <Osei>"
    assert f"Dear Ama <Osei>, welcome to {series.title}." in mine.text
    assert "Hello Ama &lt;Osei&gt;" in mine.html and "<Osei>" not in mine.html
    assert "For Ama <Osei>" in mine.text
    assert "Dear colleague," in web.text and "Ama" not in web.text


@pytest.mark.django_db
def test_an_unknown_field_is_refused_beside_its_field_and_the_form_keeps_the_text(
    client, programme
):
    series, _coming = programme
    with pytest.raises(newsletters.NewsletterRefused) as refused:
        write(
            series,
            introduction="Dear {first_name},",
            texts={"fr": {"subject": "Pour {nom}"}},
            blocks=[{"body": {"es": "<p>{name} {fecha}</p>"}}],
        )
    assert set(refused.value.errors) == {"introduction", "subject_fr", "block1_body_es"}
    assert "{first_name}" in refused.value.errors["introduction"][0]
    assert "{name}, {series}" in refused.value.errors["introduction"][0]

    client.force_login(SecretariatFactory())
    page = client.post(
        reverse("communications:newsletter_new", args=[series.slug]),
        {
            "subject": "June",
            "introduction": "Dear {first_name},",
            "recordings_days": "30",
            "include_upcoming": "on",
            "blocks": "1",
        },
    )
    assert page.status_code == 422
    assert "{first_name} is not a field the platform can fill" in page.text
    assert "Dear {first_name}," in page.text
    assert not NewsletterIssue.objects.exists()
