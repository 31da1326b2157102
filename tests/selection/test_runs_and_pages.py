"""Running the selection, its stored run, the run page against the top N by score, infeasible
rules, comparing two runs, and who may see the pages."""

import pytest
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.selection import operations
from deepdive.selection.models import SelectionRun
from tests.proposals.factories import (
    OrganisationFactory,
    ProposalFactory,
    UserFactory,
    partner_type,
)

pytestmark = pytest.mark.django_db

NO_QUOTAS = {
    "seats": 2,
    "min_per_theme": {},
    "min_per_outcome": {},
    "max_per_organisation": 1,
    "max_per_lead_org_type": None,
    "max_per_region": None,
    "weights": {
        "joint": 0.5,
        "pathfinder": 0.5,
        "org_type_coverage": 0.25,
        "region_coverage": 0.25,
    },
    "include": [],
    "exclude": [],
}


@pytest.fixture
def three(call, scores, secretariat):
    """Two civil-society proposals in Africa with the best scores, and a workers' organisation
    in Asia a little lower: the top 2 by score cover one type and one region, the optimiser's
    choice two of each."""
    cso = partner_type("civil_society")
    a = ProposalFactory(
        call=call,
        title="Alpha in Ghana",
        countries=["GH"],
        lead_organisation=OrganisationFactory(partner_type=cso),
    )
    b = ProposalFactory(
        call=call,
        title="Bravo in Morocco",
        countries=["MA"],
        lead_organisation=OrganisationFactory(partner_type=cso),
    )
    c = ProposalFactory(
        call=call,
        title="Charlie in Nepal",
        countries=["NP"],
        lead_organisation=OrganisationFactory(partner_type=partner_type("workers_organisation")),
    )
    unscored = ProposalFactory(call=call, title="Delta without reviews")
    scores({a: 16.0, b: 15.6, c: 15.2})
    operations.update_rules(actor=secretariat, call=call, **NO_QUOTAS)
    return a, b, c, unscored


def test_a_run_is_stored_with_rules_result_author_and_time(call, three, secretariat):
    a, b, c, unscored = three
    run = operations.run_selection(actor=secretariat, call=call)
    assert run.created_by == secretariat and run.created_at is not None
    assert run.status == "proposed" and run.solver_status == "optimal"
    assert run.rules["seats"] == 2 and run.rules["max_per_organisation"] == 1
    assert run.input["time_limit_seconds"] == 30
    assert sorted(run.result["selected"]) == sorted([f"p{a.pk}", f"p{c.pk}"])
    assert run.objective == pytest.approx(4.0 + 3.8 + 2 * 0.25 + 2 * 0.25)
    assert run.shortfall == 0
    assert run.unscored == [unscored.pk]
    assert run.result["details"][f"p{b.pk}"]["code"] == "lower_objective"
    # Forced in, Bravo's best selection is Bravo + Charlie: 3.9 + 3.8 + 0.5 + 0.5 = 8.7.
    assert run.result["details"][f"p{b.pk}"]["forced_in_loss"] == pytest.approx(0.1)
    # The top 2 by score, measured the same way.
    assert run.top_n["ids"] == [f"p{a.pk}", f"p{b.pk}"]
    assert run.top_n["objective"] == pytest.approx(4.0 + 3.9 + 0.25 + 0.25)
    assert AuditEntry.objects.filter(action="selection.run", object_id=str(run.pk)).exists()


def test_the_run_page_shows_the_gain_over_the_top_n_and_why_others_are_out(
    client, call, three, secretariat
):
    a, b, c, unscored = three
    run = operations.run_selection(actor=secretariat, call=call)
    client.force_login(secretariat)
    response = client.get(reverse("selection:run", args=[run.pk]))
    assert response.status_code == 200
    report = response.context["report"]
    assert [item.title for item in report.chosen] == ["Alpha in Ghana", "Charlie in Nepal"]
    charlie = report.chosen[1]
    assert "the only Workers' organisation" in charlie.adds
    assert "the only one in Asia and the Pacific" in charlie.adds
    assert report.objective_gain == pytest.approx(0.4)
    types = next(s for s in report.coverage if s.title == "Partner types")
    regions = next(s for s in report.coverage if s.title == "ILO regions")
    assert (types.covered_chosen, types.covered_top) == (2, 1)
    assert (regions.covered_chosen, regions.covered_top) == (2, 1)
    [left] = report.left_out
    assert left.title == "Bravo in Morocco"
    assert left.forced_in_loss == pytest.approx(0.1)
    assert left.beaten_by == ["Alpha in Ghana"]  # forced in, it would replace Alpha
    assert left.code == "lower_objective"
    assert [p.title for p in report.unscored] == ["Delta without reviews"]
    html = response.content.decode()
    assert "Against the top 2 by score" in html
    assert "Coverage of the chosen series and of the top by score" in html
    assert "Not scored, left out" in html
    assert "0.400" in html  # the gain
    assert f"p{b.pk}" not in html.split("<main")[1]  # ids are replaced by titles


def test_contradicting_rules_are_named(call, three, secretariat, client):
    a, b, c, _ = three
    operations.update_rules(
        actor=secretariat, call=call, **{**NO_QUOTAS, "seats": 1, "include": [a.pk, c.pk]}
    )
    run = operations.run_selection(actor=secretariat, call=call)
    assert run.solver_status == "infeasible"
    assert set(run.result["conflicts"]) >= {"seats", "include"}
    client.force_login(secretariat)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "The rules contradict each other" in html
    assert "Webinars to select" in html and "Proposals locked in" in html


def test_unmet_minimums_are_shown_with_how_many_are_missing(call, three, secretariat, client):
    operations.update_rules(
        actor=secretariat, call=call, **{**NO_QUOTAS, "min_per_theme": {"forced_labour": 1}}
    )
    run = operations.run_selection(actor=secretariat, call=call)
    assert run.solver_status == "quotas_short"
    assert run.result["short"] == [{"quota": "min_per_theme.forced_labour", "missing": 1}]
    client.force_login(secretariat)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "Minimums that could not be met" in html and "1 webinar short" in html


def test_the_rules_page_saves_and_runs(client, call, three, secretariat):
    a, b, c, _ = three
    client.force_login(secretariat)
    url = reverse("selection:rules", args=[call.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Not scored: left out of the selection." in page.content.decode()
    data = {
        "seats": 1,
        "max_per_organisation": 1,
        "max_per_lead_org_type": "",
        "max_per_region": "",
        "weight_joint": 0.5,
        "weight_pathfinder": 0.5,
        "weight_org_type_coverage": 0.25,
        "weight_region_coverage": 0.25,
        "exclude": [a.pk],
        "action": "run",
    }
    response = client.post(url, data)
    run = SelectionRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.result["selected"] == [f"p{b.pk}"]  # Alpha locked out
    # A refusal comes back beside the field, the values kept.
    response = client.post(url, {**data, "include": [a.pk], "action": "save"})
    assert response.status_code == 200
    assert "cannot be both locked in and locked out" in response.content.decode()
    response = client.post(url, {**data, "seats": 0})
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()


def test_two_runs_compared_side_by_side(client, call, three, secretariat):
    a, b, c, _ = three
    first = operations.run_selection(actor=secretariat, call=call)
    operations.update_rules(actor=secretariat, call=call, **{**NO_QUOTAS, "exclude": [c.pk]})
    second = operations.run_selection(actor=secretariat, call=call)
    client.force_login(secretariat)
    rules_page = client.get(reverse("selection:rules", args=[call.pk])).content.decode()
    assert "Compare the two runs" in rules_page
    response = client.get(
        reverse("selection:compare", args=[call.pk]), {"a": first.pk, "b": second.pk}
    )
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.in_both == ["Alpha in Ghana"]
    assert comparison.only_a == ["Charlie in Nepal"]
    assert comparison.only_b == ["Bravo in Morocco"]
    changed = [row[0] for row in comparison.rule_rows if row[3]]
    assert changed == ["Proposals locked out"]
    assert comparison.objective_difference == pytest.approx(second.objective - first.objective)
    assert comparison.objective_difference < 0


@pytest.mark.parametrize("name", ["rules", "compare", "run"])
def test_only_the_secretariat_sees_the_pages(client, call, secretariat, scores, name):
    scores({})
    run = operations.run_selection(actor=secretariat, call=call)
    url = reverse(f"selection:{name}", args=[run.pk if name == "run" else call.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    assert client.get(url).status_code == 200


def test_a_member_cannot_run_the_selection(client, call):
    client.force_login(UserFactory())
    response = client.post(reverse("selection:rules", args=[call.pk]), {"action": "run"})
    assert response.status_code == 403
    assert not SelectionRun.objects.exists()
