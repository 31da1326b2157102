"""The proposal form's long multiple choices are lists of checkboxes with a filter box: the
co-submitting organisations (the lead is not offered) and the countries of action."""

import re

import pytest
from django.urls import reverse

from deepdive.proposals import operations
from deepdive.proposals.models import Proposal

from .conftest import complete_data, form_data

pytestmark = pytest.mark.django_db


def offered(html: str, name: str) -> list[str]:
    """The labels of the checkboxes ``name`` a person can see and tick."""
    rows = re.findall(
        r'<div class="checklist-option"( hidden[^>]*)?><label[^>]*>(.*?)</label>', html
    )
    labels = []
    for hidden, inner in rows:
        if f'name="{name}"' in inner and not hidden and " disabled" not in inner:
            labels.append(re.sub(r"<[^>]+>", "", inner).strip())
    return labels


def test_co_submitters_are_checkboxes_without_the_lead(member_client, call, organisation, partner):
    html = member_client.get(reverse("proposals:new", kwargs={"call_id": call.pk})).text
    assert offered(html, "co_organisations") == [str(partner)]
    assert "Hold Ctrl" not in html
    assert "<legend>Co-submitting organisations</legend>" in html


def test_the_lead_is_refused_as_a_co_submitter_beside_the_field(
    member_client, call, organisation, partner
):
    response = member_client.post(
        reverse("proposals:new", kwargs={"call_id": call.pk}),
        form_data(None, organisation, co_organisations=[organisation.pk, partner.pk]),
    )
    assert response.status_code == 400
    assert re.search(
        r'<ul class="errorlist" id="id_co_organisations_errors"><li>The lead organisation cannot '
        r"also be a co-submitting organisation.</li>",
        response.text,
    )
    # What was ticked is kept.
    assert re.search(rf'value="{partner.pk}" id="id_co_organisations_\d+" checked', response.text)
    assert Proposal.objects.count() == 0


def test_countries_are_a_filterable_checklist_with_the_chosen_first(
    member_client, member, call, organisation
):
    proposal = operations.create_draft(
        actor=member, call=call, data=complete_data(organisation, countries=["MW", "GH"])
    ).proposal
    html = member_client.get(reverse("proposals:edit", kwargs={"pk": proposal.pk})).text
    countries = offered(html, "countries")
    assert len(countries) > 200
    assert set(countries[:2]) == {"Ghana", "Malawi (Pathfinder Country)"}
    assert '<label for="id_countries_filter">Filter the list</label>' in html
