"""The public page of a call: texts in the reader's language, deadline, one clear action."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from deepdive.core.templatetags.deepdive import when
from deepdive.directory.models import Affiliation
from deepdive.series.models import Call
from deepdive.series.texts import fallback_note
from tests.directory.factories import action_group as make_group

from . import factories

pytestmark = pytest.mark.django_db

SUBMIT, TAKE_PART = "Submit a proposal", "How to take part"


@pytest.fixture
def open_call(series):
    now = timezone.now()
    call = Call.objects.create(
        series=series,
        slug="open",
        title="Open call",
        description="Propose a webinar.",
        texts={"fr": {"title": "Appel ouvert", "background": "Contexte en français."}},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=3, hours=5, minutes=30),
        timezone="Asia/Tokyo",
    )
    call.outcomes.set(factories.outcomes(series.action_group)[:2])
    call.themes.set(factories.themes())
    call.sectors.set(factories.sectors()[:1])
    factories.criteria()
    return call


def get(client, call, **cookies) -> str:
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response.get("Cache-Control", "")  # its status is never cached
    return response.content.decode()


def test_the_page_shows_the_concept_notes_sections(client, open_call):
    page = get(client, open_call)
    assert "<h1>Open call</h1>" in page
    assert "Propose a webinar." in page
    assert "Virtual deep dive series" in page and "/colours.css?v=" in page
    # The default background of the concept note, naming the Action Group.
    assert "As the Secretariat of the Supply Chains Action Group" in page
    assert "<strong>Outcome 1.</strong> Advancing research" in page
    assert "<strong>Outcome 2.</strong>" in page and "Outcome 3." not in page
    for name in (
        "Alignment with international labour standards",
        "Root causes",
        "Scalability of results",
        "Innovative nature",
    ):
        assert name in page
    assert "Fundamental Principles and Rights" in page
    assert "jointly by two or more members come first" in page
    assert "Pathfinder Countries" in page
    assert "child labour, forced labour and human trafficking" in page
    assert "All members of the Supply Chains Action Group are invited" in page
    assert "Child labour, Forced labour, Human trafficking" in page and "Mining" in page
    assert "At most 250 words" in page
    assert '<span class="badge ok">open</span>' in page
    assert "3\xa0days, 5\xa0hours left to submit" in page


def test_texts_in_french_when_the_reader_reads_french(client, open_call):
    page = get(client, open_call, **{settings.LANGUAGE_COOKIE_NAME: "fr"})
    assert "<h1>Appel ouvert</h1>" in page
    assert "Contexte en français." in page
    assert "Propose a webinar." in page  # no French description: the main text


def test_texts_fall_back_to_the_main_language(client, open_call):
    page = get(client, open_call, **{settings.LANGUAGE_COOKIE_NAME: "es"})
    with translation.override("es"):
        note = fallback_note("en")
    assert (
        f'<h1><span lang="en">Open call</span> <span class="muted text-fallback">({note})</span>'
        "</h1>"
    ) in page
    assert "Appel ouvert" not in page


def test_the_deadline_in_the_readers_zone_and_the_calls(client, call):
    page = get(client, call, deepdive_tz="Asia/Kathmandu")
    assert 'datetime="2026-10-01T03:44:00+05:45"' in page
    assert f"{when(call.closes_at, 'Asia/Kathmandu')}</time>" in page
    assert f"In the call's time zone: {when(call.closes_at, 'Europe/Zurich')}" in page
    assert f"In the call's time zone: {when(call.opens_at, 'Europe/Zurich')}" in page


# ----------------------------------------------------------------------------- the action


def test_anonymous_readers_are_told_how_to_take_part(client, open_call):
    page = get(client, open_call)
    assert f'href="#take-part">{TAKE_PART}</a>' in page
    assert 'id="take-part"' in page
    assert SUBMIT not in page
    assert reverse("account_signup") in page and reverse("account_login") in page
    assert reverse("accounts:affiliations") in page
    assert "Wait for the Secretariat to verify it" in page


@pytest.mark.parametrize(
    "make",
    [
        lambda group: factories.someone(),
        lambda group: factories.member(group, status=Affiliation.Status.PENDING),
        lambda group: factories.member(group, is_member=False),
        lambda group: factories.member(make_group("migration", "Migration")),
    ],
    ids=["no-affiliation", "unverified", "not-a-member-organisation", "other-action-group"],
)
def test_people_who_may_not_propose_are_told_how_to_take_part(client, open_call, make):
    client.force_login(make(open_call.series.action_group))
    page = get(client, open_call)
    assert TAKE_PART in page and SUBMIT not in page
    assert "You have an account and you are logged in." in page


def test_a_verified_member_contact_sees_submit_a_proposal(client, open_call):
    client.force_login(factories.member(open_call.series.action_group))
    page = get(client, open_call)
    assert f'href="/calls/{open_call.pk}/propose/">{SUBMIT}</a>' in page
    assert TAKE_PART not in page


def test_the_secretariat_sees_how_to_take_part_and_an_edit_link(client, open_call):
    client.force_login(factories.secretariat())
    page = get(client, open_call)
    assert TAKE_PART in page and SUBMIT not in page
    assert reverse("series:call_edit", kwargs={"pk": open_call.pk}) in page


def test_a_closed_call_says_so(client, call):
    client.force_login(factories.member(call.series.action_group))
    page = get(client, call)
    assert '<span class="badge">closed</span>' in page
    assert "This call is closed" in page
    assert SUBMIT not in page and TAKE_PART not in page


def test_a_scheduled_call_says_when_it_opens(client, open_call):
    now = timezone.now()
    Call.objects.filter(pk=open_call.pk).update(
        opens_at=now + timedelta(days=2, hours=1), closes_at=now + timedelta(days=30)
    )
    client.force_login(factories.member(open_call.series.action_group))
    page = get(client, open_call)
    assert '<span class="badge warn">scheduled</span>' in page
    assert "Opens in 2\xa0days" in page
    assert SUBMIT not in page and TAKE_PART in page


def test_unknown_addresses_are_404(client, series, call):
    other = factories.outcomes(series.action_group) and series.__class__.objects.create(
        action_group=series.action_group, slug="other", title="Other", languages=["en"]
    )
    for slug, call_slug in (("nope", call.slug), (series.slug, "nope"), (other.slug, call.slug)):
        url = reverse("series:call", kwargs={"slug": slug, "call_slug": call_slug})
        assert client.get(url).status_code == 404


def test_the_series_and_home_pages_link_to_the_call(client, call):
    assert call.get_absolute_url() in client.get(call.series.get_absolute_url()).content.decode()
    assert call.get_absolute_url() in client.get(reverse("core:home")).content.decode()


# ------------------------------------------------- opening and closing by itself, at the instant

# 28 March 2027: Zurich moves to summer time at 02:00; 12:00 there is 10:00 UTC.
CLOSES = datetime(2027, 3, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def dst_call(series):
    return Call.objects.create(
        series=series,
        slug="dst",
        title="Call across the change",
        opens_at=datetime(2027, 3, 21, 11, 0, tzinfo=UTC),  # 12:00 in Zurich, winter time
        closes_at=CLOSES,
        timezone="Europe/Zurich",
    )


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (datetime(2027, 3, 21, 10, 59, 59, tzinfo=UTC), "scheduled"),
        (datetime(2027, 3, 21, 11, 0, tzinfo=UTC), "open"),
        (CLOSES - timedelta(seconds=1), "open"),
        (CLOSES, "closed"),
        (CLOSES + timedelta(seconds=1), "closed"),
    ],
)
def test_the_call_opens_and_closes_by_itself(client, monkeypatch, dst_call, moment, status):
    assert dst_call.status_at(moment) == status
    at(monkeypatch, moment)
    page = get(client, dst_call)
    assert f">{status}</span>" in page
    assert (SUBMIT in page) is False
    listing = client.get(dst_call.series.get_absolute_url()).content.decode()
    assert f">{status}</span>" in listing


def test_time_left_counts_the_hour_lost_to_summer_time(client, monkeypatch, dst_call):
    # Saturday 12:00 in Zurich (11:00 UTC) to Sunday 12:00: 23 hours, not 24.
    at(monkeypatch, datetime(2027, 3, 27, 11, 0, tzinfo=UTC))
    page = get(client, dst_call, deepdive_tz="UTC")
    assert "23\xa0hours left to submit" in page
    assert "(Europe/Zurich, UTC+02:00)" in page  # the deadline, summer time
    assert "(Europe/Zurich, UTC+01:00)" in page  # the opening, winter time


def test_a_member_can_submit_one_second_before_the_deadline_only(client, monkeypatch, dst_call):
    at(monkeypatch, CLOSES - timedelta(seconds=1))
    # Logged in at that moment (the session's expiry counts from the clock).
    client.force_login(factories.member(dst_call.series.action_group))
    assert SUBMIT in get(client, dst_call)
    at(monkeypatch, CLOSES + timedelta(seconds=1))
    page = get(client, dst_call)
    assert SUBMIT not in page and "This call is closed" in page
