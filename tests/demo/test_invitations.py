"""The demo's communications: the Supply Chains Action Group's members can be invited in
three languages across the world's zones, and the campaigns page shows one campaign sent."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from deepdive.communications import audiences, campaigns
from deepdive.communications.models import Campaign
from deepdive.demo.operations import load_demo
from deepdive.directory.models import Organisation
from deepdive.series.models import Series

pytestmark = pytest.mark.django_db


def supply_chains_members(series: Series) -> list[audiences.Recipient]:
    return audiences.recipients(
        audiences.Audience(series_id=series.pk, kind=audiences.ACTION_GROUP, value="supply_chains")
    )


def hours_from_utc(zone: str) -> float:
    offset = datetime(2026, 1, 15, 12, tzinfo=ZoneInfo(zone)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


def test_every_supply_chains_member_organisation_has_a_contact_to_invite():
    load_demo(password="demo-pass-123")
    series = Series.objects.get(slug="supply-chains-deep-dive")
    members = Organisation.objects.filter(
        action_groups__code="supply_chains", is_member=True, merged_into__isnull=True
    )
    invited = {r.email for r in supply_chains_members(series)}
    for organisation in members:
        domain = organisation.domains.values_list("domain", flat=True)[0]
        assert f"communications@{domain}" in invited, organisation.name


def test_the_supply_chains_members_read_three_languages_in_zones_from_utc_minus_6_to_plus_12():
    load_demo(password="demo-pass-123")
    recipients = supply_chains_members(Series.objects.get(slug="supply-chains-deep-dive"))
    languages = {r.language for r in recipients}
    assert languages == {"en", "fr", "es"}
    for language in languages:
        assert sum(r.language == language for r in recipients) >= 5
    offsets = {hours_from_utc(r.zone) for r in recipients if r.zone}
    assert min(offsets) == -6
    assert max(offsets) == 12
    assert len(offsets) >= 10


def test_the_campaigns_page_has_an_earlier_invitation_sent_to_everyone(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker's deliveries
        load_demo(password="demo-pass-123")
    campaign = Campaign.objects.get(issue__isnull=True)
    assert campaign.status == Campaign.Status.DONE
    assert campaign.webinar is not None and campaign.webinar.cancelled_at is None
    progress = campaigns.progress(campaign)
    assert progress.sent == progress.total >= 5


def test_loading_again_sends_no_second_campaign():
    load_demo(password="demo-pass-123")
    again = load_demo(password="demo-pass-123")
    assert again["campaigns"] == again["communications officers"] == 0
    assert Campaign.objects.filter(issue__isnull=True).count() == 1
