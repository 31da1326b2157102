"""The cards served, their downloads page, the branding page, the webinar page's link preview;
the campaigns' names and the campaign page's messages, worded for what each sends."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from deepdive.communications import audiences, campaigns, newsletters, operations, queries
from deepdive.communications.models import Branding, Campaign
from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import Registration
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.webinars.factories import (
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    WebinarFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def webinar():
    return PublishedWebinarFactory(proposal=ProposalFactory(title="Cocoa and child labour"))


def host_of(webinar):
    person = ReaderFactory(name="Aïssata Koné")
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


def card_url(webinar, language="en", size="preview", kind="png"):
    return reverse("communications:card", args=[webinar.pk, language, size, kind])


def png(response) -> Image.Image:
    return Image.open(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_published_webinars_cards_are_public_in_three_languages(client, webinar, language):
    for size, (width, height, kind) in {
        "preview": (1200, 630, "png"),
        "square": (1080, 1080, "png"),
        "story": (1080, 1920, "png"),
    }.items():
        response = client.get(card_url(webinar, language, size, kind))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "public, max-age=3600"
        assert png(response).size == (width, height)
    flyer = client.get(card_url(webinar, language, "flyer", "pdf"))
    assert flyer["Content-Type"] == "application/pdf"
    assert flyer.content.startswith(b"%PDF-")


def test_the_card_says_the_date_in_the_cards_language(webinar):
    english = queries.card_data(webinar, "en")
    french = queries.card_data(webinar, "fr")
    assert english.when != french.when
    assert english.url == f"http://testserver/webinars/{webinar.pk}/"
    assert english.hosts[0] == webinar.proposal.lead_organisation.name


def test_a_card_is_drawn_once_then_read_from_storage(webinar, tmp_path):
    first = queries.webinar_card(webinar, language="en", size="square")
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    again = queries.webinar_card(webinar, language="en", size="square")
    assert again == first
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == files


def test_a_changed_title_gives_a_new_card(client, webinar):
    before = client.get(card_url(webinar))
    proposal = webinar.proposal
    proposal.title = "Cocoa, child labour and what partners do"
    proposal.save()
    after = client.get(card_url(webinar))
    assert before["ETag"] != after["ETag"]
    assert before.content != after.content


def test_a_changed_branding_gives_a_new_card(client, webinar):
    before = client.get(card_url(webinar))
    operations.save_branding(
        actor=SecretariatFactory(),
        series=webinar.call.series,
        colour_primary="#006644",
        colour_accent="#ffcc00",
        layout="split",
    )
    after = client.get(card_url(webinar))
    assert before["ETag"] != after["ETag"]
    assert png(after).getpixel((10, 10)) == (0, 0x66, 0x44)


def test_an_unpublished_webinars_cards_are_for_its_hosts_and_the_secretariat(client):
    draft = WebinarFactory(proposal=ProposalFactory(title="Not yet"), planned_start=None)
    assert client.get(card_url(draft)).status_code == 404
    client.force_login(ReaderFactory())
    assert client.get(card_url(draft)).status_code == 404
    client.force_login(host_of(draft))
    response = client.get(card_url(draft))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"
    client.force_login(SecretariatFactory())
    assert client.get(card_url(draft)).status_code == 200


def test_an_unknown_size_or_language_is_404(client, webinar):
    assert client.get(card_url(webinar, "de")).status_code == 404
    assert client.get(card_url(webinar, "en", "flyer", "png")).status_code == 404
    assert client.get(f"/webinars/{webinar.pk}/card/en/poster.png").status_code == 404


def test_the_cards_page_is_for_hosts_and_the_secretariat(client, webinar):
    url = reverse("communications:cards", args=[webinar.pk])
    assert client.get(url).status_code in (302, 403)
    client.force_login(ReaderFactory())
    assert client.get(url).status_code == 403
    client.force_login(host_of(webinar))
    page = client.get(url).content.decode()
    assert page.count('loading="lazy"') == 12
    assert "Download the square card in French (PNG)" in page
    assert "Download the A4 flyer card in Spanish (PDF)" in page
    assert "Announcement of the webinar “Cocoa and child labour”" in page
    thumbnail = client.get(
        reverse("communications:card_thumbnail", args=[webinar.pk, "fr", "story"])
    )
    assert png(thumbnail).size == (360, 640)  # 360 wide, in proportion


def test_the_workspace_links_to_the_cards(client, webinar):
    client.force_login(host_of(webinar))
    page = client.get(reverse("webinars:workspace", args=[webinar.pk])).content.decode()
    assert reverse("communications:cards", args=[webinar.pk]) in page


def test_a_long_title_is_shortened_and_the_page_says_so(client):
    title = " ".join(["Forced labour in global supply chains and what partners do about it"] * 4)
    webinar = PublishedWebinarFactory(proposal=ProposalFactory(title=title[:250]))
    client.force_login(SecretariatFactory())
    page = client.get(reverse("communications:cards", args=[webinar.pk])).content.decode()
    assert "The title was shortened on the square card." in page


def test_the_webinar_page_has_its_card_as_link_preview(client, webinar):
    page = client.get(webinar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    tags = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
    assert tags["og:image"] == f"http://testserver/webinars/{webinar.pk}/card/fr/preview.png"
    assert tags["og:title"] == "Cocoa and child labour"
    assert tags["twitter:card"] == "summary_large_image"
    assert "Cocoa and child labour" in tags["og:image:alt"]
    assert "og:description" in tags
    assert client.get(tags["og:image"]).status_code == 200


def logo_upload(size=(200, 100), kind="PNG", name="logo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "#ff0000").save(out, kind)
    return SimpleUploadedFile(name, out.getvalue())


def test_the_secretariat_saves_the_branding_with_a_logo(webinar):
    series = webinar.call.series
    actor = SecretariatFactory()
    branding = operations.save_branding(
        actor=actor,
        series=series,
        colour_primary="#123456",
        colour_accent="#ABCDEF",
        layout="banner",
        logo=logo_upload(),
    )
    assert (branding.colour_primary, branding.colour_accent, branding.version) == (
        "#123456",
        "#abcdef",
        1,
    )
    assert branding.logo.name.endswith(".png")
    entry = AuditEntry.objects.get(action="communications.branding_saved")
    assert entry.changes["colour_primary"] == ["#1e2dbe", "#123456"]
    same = operations.save_branding(
        actor=actor,
        series=series,
        colour_primary="#123456",
        colour_accent="#abcdef",
        layout="banner",
    )
    assert same.version == 1
    assert AuditEntry.objects.filter(action="communications.branding_saved").count() == 1


def test_a_logo_that_is_not_an_image_or_too_large_is_refused(settings, webinar):
    series = webinar.call.series
    actor = SecretariatFactory()
    values = dict(
        actor=actor,
        series=series,
        colour_primary="#123456",
        colour_accent="#abcdef",
        layout="banner",
    )
    with pytest.raises(operations.BrandingInvalid) as refused:
        operations.save_branding(**values, logo=SimpleUploadedFile("logo.png", b"<svg></svg>"))
    assert refused.value.errors == {"logo": ["Upload the logo as a PNG or JPEG image."]}
    with pytest.raises(operations.BrandingInvalid) as refused:
        operations.save_branding(**values, logo=logo_upload(size=(5000, 10)))
    assert refused.value.errors == {
        "logo": ["This image is 5000 × 10 pixels; the limit is 4000 a side."]
    }
    settings.COMMUNICATIONS_LOGO_MAX_BYTES = 100
    with pytest.raises(operations.BrandingInvalid) as refused:
        operations.save_branding(**values, logo=logo_upload())
    assert "the limit is 0.0 MB" in refused.value.errors["logo"][0]
    with pytest.raises(operations.BrandingInvalid) as refused:
        operations.save_branding(**{**values, "colour_primary": "blue"})
    assert set(refused.value.errors) == {"colour_primary"}
    assert not Branding.objects.exists()


def test_only_the_secretariat_saves_a_branding(webinar):
    with pytest.raises(PermissionDenied):
        operations.save_branding(
            actor=host_of(webinar),
            series=webinar.call.series,
            colour_primary="#123456",
            colour_accent="#abcdef",
            layout="banner",
        )


def test_the_branding_page_previews_without_saving(client, webinar):
    series = webinar.call.series
    client.force_login(SecretariatFactory())
    url = reverse("communications:branding", args=[series.slug])
    page = client.get(url).content.decode()
    assert "Cocoa and child labour" in page  # the next published webinar is the sample
    response = client.post(
        url,
        {
            "colour_primary": "#006644",
            "colour_accent": "#ffcc00",
            "layout": "split",
            "preview": "1",
        },
    )
    page = response.content.decode()
    assert "preview.png?primary=%23006644&amp;accent=%23ffcc00&amp;layout=split" in page
    assert not Branding.objects.exists()
    preview = client.get(
        reverse("communications:branding_preview", args=[series.slug])
        + "?primary=%23006644&layout=split"
    )
    assert png(preview).getpixel((10, 10)) == (0, 0x66, 0x44)
    response = client.post(
        url, {"colour_primary": "#00664", "colour_accent": "#ffcc00", "layout": "split"}
    )
    assert response.status_code == 422
    assert "Give a colour as # and six hex digits." in response.content.decode()
    assert 'value="#00664"' in response.content.decode()
    response = client.post(
        url, {"colour_primary": "#006644", "colour_accent": "#ffcc00", "layout": "split"}
    )
    assert response.status_code == 302
    assert Branding.objects.get(series=series).layout == "split"


def test_the_branding_page_is_for_the_secretariat(client, webinar):
    client.force_login(host_of(webinar))
    url = reverse("communications:branding", args=[webinar.call.series.slug])
    assert client.get(url).status_code == 403


# Campaigns ---------------------------------------------------------------------------------------


def news_of(webinar) -> audiences.Audience:
    for email, language in (("ama@example.org", "en"), ("elodie@example.org", "fr")):
        Registration.objects.create(
            webinar=webinar,
            email=email,
            name=email.split("@")[0].title(),
            language=language,
            consents_to_contact=True,
        )
    return audiences.Audience(webinar.call.series_id, audiences.SERIES_NEWS)


def newsletter_campaign(webinar, secretariat) -> Campaign:
    issue = newsletters.save_issue(
        actor=secretariat, series=webinar.call.series, subject="News of June", introduction="Hi."
    )
    campaign, _drafted = newsletters.send_for_approval(
        actor=secretariat, issue=issue, audience=news_of(webinar), rate_per_minute=1
    )
    return campaign


def test_campaigns_are_listed_by_what_they_send_without_a_query_each(client, webinar):
    secretariat = SecretariatFactory()
    series = webinar.call.series
    newsletter_campaign(webinar, secretariat)
    everyone = audiences.Audience(series.pk, audiences.SERIES_NEWS)
    campaigns.draft_campaign(actor=secretariat, series=series, webinar=None, audience=everyone)
    client.force_login(secretariat)
    page = reverse("communications:campaigns", args=[series.slug])
    listed = client.get(page)
    for name in ("Newsletter: News of June", "Invitation: the programme"):
        assert f">{name}</a>" in listed.text
    assert "Campaign " not in listed.text

    with CaptureQueriesContext(connection) as two:
        client.get(page)
    campaigns.draft_campaign(actor=secretariat, series=series, webinar=webinar, audience=everyone)
    with CaptureQueriesContext(connection) as three:
        listed = client.get(page)
    assert ">Invitation: Cocoa and child labour</a>" in listed.text
    assert len(three.captured_queries) == len(two.captured_queries)


def test_the_campaign_page_words_sending_pausing_and_retrying_for_a_newsletter(client, webinar):
    secretariat = SecretariatFactory()
    campaign = newsletter_campaign(webinar, secretariat)
    client.force_login(secretariat)
    page = reverse("communications:campaign", args=[campaign.pk])
    detail = client.get(page)
    assert "<h1>Newsletter: News of June</h1>" in detail.text
    assert "Send the newsletter to 2 people" in detail.text

    sent = client.post(reverse("communications:campaign_send", args=[campaign.pk]), follow=True)
    assert "Sending: 1 newsletters a minute leave until all are sent." in sent.text
    assert "invitation" not in sent.text.lower()
    paused = client.post(reverse("communications:campaign_pause", args=[campaign.pk]), follow=True)
    assert "Paused: no more newsletters leave until you resume." in paused.text
    resumed = client.post(
        reverse("communications:campaign_resume", args=[campaign.pk]), follow=True
    )
    assert "Resumed: the newsletters leave again." in resumed.text
    OutboxMessage.objects.filter(batch=campaign.batch).update(status=OutboxMessage.Status.FAILED)
    retried = client.post(reverse("communications:campaign_retry", args=[campaign.pk]), follow=True)
    assert "2 failed newsletters are sent again." in retried.text
    assert "invitation" not in retried.text.lower()


def test_an_invitations_page_still_speaks_of_invitations(client, webinar):
    secretariat = SecretariatFactory()
    series = webinar.call.series
    campaign, _drafted = campaigns.draft_campaign(
        actor=secretariat, series=series, webinar=webinar, audience=news_of(webinar)
    )
    client.force_login(secretariat)
    sent = client.post(reverse("communications:campaign_send", args=[campaign.pk]), follow=True)
    assert "<h1>Invitation: Cocoa and child labour</h1>" in sent.text
    assert "Sending: 60 invitations a minute leave until all are sent." in sent.text
