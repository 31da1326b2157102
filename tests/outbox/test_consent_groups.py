"""Consent per Action Group (issue 14): an invitation carries the Action Group it is sent for;
one click on it stops that group's invitations only; the preferences page has one choice per
group the address was written to for; a link made before groups still stops the whole
category; the directory names the group."""

import re

import pytest
from django.core import signing
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from deepdive.outbox import consent, operations
from deepdive.outbox.models import OutboxMessage, Suppression
from deepdive.outbox.queries import mail_notes
from tests.directory.factories import action_group

pytestmark = pytest.mark.django_db

ADDRESS = "ana@example.org"


@pytest.fixture
def supply_chains():
    return action_group("supply_chains", "Supply Chains")


@pytest.fixture
def migration():
    return action_group("migration", "Migration")


def invite(group=None, to: str = ADDRESS, category: str = "invitation", **kwargs):
    return operations.queue_email(
        to=to,
        subject="Invitation: decent work in supply chains",
        text="Join us.\n",
        language="en",
        kind="test",
        category=category,
        action_group=group,
        hold=True,
        **kwargs,
    )


def one_click_link(message: OutboxMessage) -> str:
    return message.headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")


def preferences_link(message: OutboxMessage) -> str:
    return one_click_link(message).replace("/unsubscribe/", "/email-preferences/")


def ticked(page: str) -> set[str]:
    """The names of the ticked boxes of a page."""
    boxes = re.findall(r"<input [^>]*>", page)
    return {re.search(r'name="([^"]+)"', b)[1] for b in boxes if re.search(r"\bchecked\b", b)}


def labels(page: str) -> list[str]:
    """The labels of the preferences form, in order."""
    form = page.split('<form method="post">', 1)[1].split("</form>", 1)[0]
    found = re.findall(r"<label[^>]*>([^<]+)</label>", form)
    return [" ".join(label.split()).rstrip(":") for label in found]


# Which message a suppression stops ---------------------------------------------------------------


def test_a_group_suppression_stops_that_groups_invitations_only(supply_chains, migration):
    consent.unsubscribe(address=ADDRESS, scope="invitation", action_group="supply_chains")

    assert consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert not consent.is_suppressed(ADDRESS, "invitation", "migration")
    assert not consent.is_suppressed(ADDRESS, "invitation")  # sent for no group
    assert not consent.is_suppressed(ADDRESS, "newsletter", "supply_chains")
    stopped = invite(supply_chains)
    assert stopped.status == OutboxMessage.Status.SUPPRESSED
    assert (
        stopped.last_error == "Not sent: the address unsubscribed (invitation from supply_chains)"
    )
    assert invite(migration).status == OutboxMessage.Status.HELD


def test_a_suppression_of_every_group_stops_each_groups_messages(supply_chains):
    consent.unsubscribe(address=ADDRESS, scope="invitation")
    consent.mark_bounced(address="gone@example.org", error="550 No such user")

    assert consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert not consent.is_suppressed(ADDRESS, "newsletter", "supply_chains")
    assert consent.is_suppressed("gone@example.org", "newsletter", "supply_chains")
    assert invite(supply_chains).status == OutboxMessage.Status.SUPPRESSED


def test_one_suppression_per_address_scope_and_group():
    Suppression.objects.create(address=ADDRESS, scope="invitation", reason="unsubscribed")
    Suppression.objects.create(
        address=ADDRESS, scope="invitation", reason="unsubscribed", action_group="migration"
    )
    with pytest.raises(IntegrityError):
        Suppression.objects.create(address=ADDRESS, scope="invitation", reason="bounced")


# The one-click link ----------------------------------------------------------------------------


def test_one_click_on_a_groups_invitation_stops_that_groups_invitations_only(
    supply_chains, migration
):
    message = invite(supply_chains)
    mail_client = Client(enforce_csrf_checks=True)

    asked = mail_client.get(one_click_link(message)).content.decode()
    response = mail_client.post(one_click_link(message), {"List-Unsubscribe": "One-Click"})

    assert "Unsubscribe from invitations of the Supply Chains Action Group" in asked
    page = response.content.decode()
    assert "You will no longer receive invitations from the Supply Chains Action Group." in page
    assert f'href="{preferences_link(message)}"' in page  # to widen or narrow it
    [row] = Suppression.objects.all()
    assert (row.address, row.scope, row.action_group, row.reason) == (
        ADDRESS,
        "invitation",
        "supply_chains",
        "unsubscribed",
    )
    assert invite(supply_chains).status == OutboxMessage.Status.SUPPRESSED
    assert invite(migration).status == OutboxMessage.Status.HELD
    assert invite(supply_chains, category="newsletter").status == OutboxMessage.Status.HELD


def test_a_link_made_before_groups_stops_the_category_everywhere(client, supply_chains):
    old = signing.dumps([ADDRESS, "invitation"], salt=consent.TOKEN_SALT, compress=True)

    response = client.post(reverse("outbox:unsubscribe", args=[old]))

    assert "will receive no more invitations from the series" in response.content.decode()
    [row] = Suppression.objects.all()
    assert (row.scope, row.action_group) == ("invitation", "")
    assert consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert client.get(reverse("outbox:preferences", args=[old])).status_code == 200


def test_a_newsletters_link_stops_newsletters_from_every_group(client, supply_chains):
    newsletter = invite(supply_chains, category="newsletter")
    assert consent.read_token(one_click_link(newsletter).rstrip("/").rpartition("/")[2]) == (
        ADDRESS,
        "newsletter",
        "",
    )

    client.post(one_click_link(newsletter))

    assert consent.is_suppressed(ADDRESS, "newsletter")
    assert not consent.is_suppressed(ADDRESS, "invitation", "supply_chains")


def test_a_token_naming_a_group_is_still_signed(client):
    forged = signing.dumps([ADDRESS, "invitation", "x"], salt="another salt")
    too_long = signing.dumps([ADDRESS, "invitation", "x", "y"], salt=consent.TOKEN_SALT)
    for bad in (forged, too_long):
        assert client.post(reverse("outbox:unsubscribe", args=[bad])).status_code == 404
    assert not Suppression.objects.exists()


# The preferences page --------------------------------------------------------------------------


def test_the_preferences_page_has_one_choice_per_group_written_to_for(
    client, supply_chains, migration
):
    invite(migration)
    message = invite(supply_chains)
    client.post(one_click_link(message))
    url = preferences_link(message)

    page = client.get(url).content.decode()

    assert labels(page) == [
        "Invitations to webinars",
        "Invitations from the Migration Action Group",
        "Invitations from the Supply Chains Action Group",
        "Newsletters",
        "Nothing but what I register for",
    ]
    assert ticked(page) == {"invitation", "group_migration", "newsletter"}

    # Narrow: Supply Chains' invitations again, but none from Migration.
    saved = client.post(
        url, {"invitation": "on", "group_supply_chains": "on", "newsletter": "on"}, follow=True
    )

    assert "Your choices are saved." in saved.content.decode()
    assert ticked(saved.content.decode()) == {"invitation", "group_supply_chains", "newsletter"}
    assert not consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert consent.is_suppressed(ADDRESS, "invitation", "migration")
    [row] = Suppression.objects.all()
    assert (row.scope, row.action_group) == ("invitation", "migration")


def test_the_preferences_page_widens_to_every_group(client, supply_chains):
    message = invite(supply_chains)
    client.post(one_click_link(message))

    client.post(preferences_link(message), {"newsletter": "on", "group_supply_chains": "on"})

    assert consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert consent.is_suppressed(ADDRESS, "invitation")
    assert consent.preferences(ADDRESS) == {"invitation": False, "newsletter": True, "all": True}


def test_a_page_without_groups_shows_no_group(client):
    message = invite()
    page = client.get(preferences_link(message)).content.decode()

    assert labels(page) == [
        "Invitations to webinars",
        "Newsletters",
        "Nothing but what I register for",
    ]


def test_set_preferences_refuses_an_unknown_group():
    with pytest.raises(ValueError):
        consent.set_preferences(
            address=ADDRESS,
            invitation=True,
            newsletter=True,
            all_mail=True,
            groups={"no_such_group": False},
        )
    assert not Suppression.objects.exists()


# The directory ---------------------------------------------------------------------------------


def test_the_directory_names_the_group(supply_chains):
    consent.unsubscribe(address=ADDRESS, scope="invitation", action_group="supply_chains")
    consent.unsubscribe(address=ADDRESS, scope="newsletter")

    assert sorted(mail_notes([ADDRESS.upper()])[ADDRESS]) == [
        "unsubscribed from invitations of the Supply Chains Action Group",
        "unsubscribed from newsletters",
    ]
