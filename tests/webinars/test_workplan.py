"""A webinar's workplan Outputs: set by its hosts or the secretariat from the workspace, only
Outputs of the series' Action Group, one audit entry per change."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.reference.models import Output
from deepdive.webinars import workplan
from deepdive.webinars.actions import WebinarAction
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.proposals.factories import outcome
from tests.webinars.factories import ProposalFactory, ReaderFactory, WebinarFactory

pytestmark = pytest.mark.django_db


def output(outcome_number: int, number: int, group_code: str = "supply_chains") -> Output:
    return Output.objects.get_or_create(
        outcome=outcome(outcome_number, group_code=group_code),
        number=number,
        defaults={"text": f"Output text {outcome_number}.{number}"},
    )[0]


@pytest.fixture
def webinar():
    return WebinarFactory(proposal=ProposalFactory(title="Cocoa and child labour"))


@pytest.fixture
def host(webinar):
    person = ReaderFactory()
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


def test_set_outputs_by_host_records_one_entry(webinar, host):
    first, second = output(3, 1), output(1, 2)
    workplan.set_outputs(actor=host, webinar=webinar, outputs=[first, second])
    assert set(webinar.outputs.all()) == {first, second}
    entries = AuditEntry.objects.filter(action=WebinarAction.OUTPUTS_SET.value)
    assert entries.count() == 1
    assert entries.get().summary == "Workplan Outputs of “Cocoa and child labour”: 1.2, 3.1"


def test_set_outputs_unchanged_records_nothing(webinar, host):
    workplan.set_outputs(actor=host, webinar=webinar, outputs=[output(3, 1)])
    workplan.set_outputs(actor=host, webinar=webinar, outputs=[output(3, 1)])
    assert AuditEntry.objects.filter(action=WebinarAction.OUTPUTS_SET.value).count() == 1


def test_set_outputs_of_another_action_group_refused(webinar):
    other = output(1, 1, group_code="migration")
    with pytest.raises(workplan.OutputsRefused) as refused:
        workplan.set_outputs(actor=SecretariatFactory(), webinar=webinar, outputs=[other])
    assert list(refused.value.errors) == ["outputs"]
    assert webinar.outputs.count() == 0


def test_set_outputs_by_a_stranger_forbidden(webinar):
    with pytest.raises(PermissionDenied):
        workplan.set_outputs(actor=ReaderFactory(), webinar=webinar, outputs=[output(3, 1)])


def test_workspace_form_saves_outputs_grouped_by_outcome(client, webinar, host):
    wanted = output(3, 1)
    output(1, 1, group_code="migration")  # another workplan: not offered
    client.force_login(host)
    url = reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    page = client.get(url).content.decode()
    assert "Workplan Outputs" in page
    assert "Outcome 3. Outcome title 3" in page
    assert "Output text 1.1" not in page
    response = client.post(url, {"section": "outputs", "outputs-outputs": [str(wanted.pk)]})
    assert response.status_code == 302
    assert list(webinar.outputs.all()) == [wanted]
    page = client.get(url).content.decode()
    assert f'value="{wanted.pk}"' in page and "checked" in page
