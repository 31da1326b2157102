"""Simultaneous submits of one draft, on real connections in two threads (tests/races.py)."""

import uuid

import pytest

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals import operations
from deepdive.proposals.models import Proposal
from tests.races import database_on_disk, race

from .conftest import complete_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_disk(transactional_db, tmp_path, member, call, organisation):
    """The test database, copied to a file for the test (SQLite in memory only)."""
    with database_on_disk(tmp_path):
        yield


def test_two_simultaneous_submits_of_one_draft_give_one_submission(
    on_disk, member, call, organisation
):
    proposal = operations.create_draft(
        actor=member, call=call, data=complete_data(organisation)
    ).proposal

    def submit():
        return operations.save_proposal(
            actor=member,
            proposal=Proposal.objects.get(pk=proposal.pk),
            expected_version=1,
            data=complete_data(organisation),
            submit=True,
        )

    results = race(submit, submit)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.changed for r in results) == [False, True]
    assert Proposal.objects.count() == 1
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("submitted", 2)
    assert AuditEntry.objects.filter(action="proposals.submit").count() == 1
    assert OutboxMessage.objects.filter(kind="proposals.confirmation").count() == 1


def test_two_different_simultaneous_saves_one_is_refused(on_disk, member, call, organisation):
    proposal = operations.create_draft(
        actor=member, call=call, data=complete_data(organisation)
    ).proposal

    def save(title):
        return lambda: operations.save_proposal(
            actor=member,
            proposal=Proposal.objects.get(pk=proposal.pk),
            expected_version=1,
            data=complete_data(organisation, title=title),
            submit=False,
        )

    results = race(save("Tab one"), save("Tab two"))

    refused = [r for r in results if isinstance(r, operations.StaleVersion)]
    saved = [r for r in results if isinstance(r, operations.Saved)]
    assert (len(refused), len(saved)) == (1, 1), results
    proposal.refresh_from_db()
    assert proposal.version == 2
    assert proposal.title == saved[0].proposal.title


def test_two_simultaneous_posts_of_a_new_form_create_one_proposal(
    on_disk, member, call, organisation
):
    token = uuid.uuid4()

    def create():
        return operations.create_draft(
            actor=member,
            call=call,
            data=complete_data(organisation),
            creation_token=token,
            submit=True,
        )

    results = race(create, create)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Proposal.objects.count() == 1
    assert sorted(r.changed for r in results) == [False, True]
    assert OutboxMessage.objects.filter(kind="proposals.confirmation").count() == 1
