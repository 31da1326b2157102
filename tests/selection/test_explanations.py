"""The run page words why each proposal is in or out in the reader's words and language: the
reference tables' names for the optimiser's codes, figures rounded, a loss explained; and the
command line keeps its English sentences."""

import pytest

from deepdive.optimize.select import solve_json
from deepdive.selection import operations
from tests.proposals.factories import OrganisationFactory, ProposalFactory, partner_type

pytestmark = pytest.mark.django_db

RULES = {
    "seats": 2,
    "min_per_theme": {"child_labour": 1},
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
CODES = ("civil_society", "workers_organisation", "min_per_theme", "child_labour", "gained -")


@pytest.fixture
def run(reference_data, call, scores, secretariat):
    """Alpha and Bravo (civil society, Africa) score best; only Charlie (a workers'
    organisation in Asia, scored lower) works on child labour, which the rules want once: the
    optimiser picks Alpha and Charlie, worth less than the top 2 by score (Alpha, Bravo)."""
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
        themes=["child_labour"],
        lead_organisation=OrganisationFactory(partner_type=partner_type("workers_organisation")),
    )
    scores({a: 16.0, b: 15.6, c: 12.0})
    operations.update_rules(actor=secretariat, call=call, **RULES)
    selection_run = operations.run_selection(actor=secretariat, call=call)
    assert sorted(selection_run.result["selected"]) == sorted([f"p{a.pk}", f"p{c.pk}"])
    return selection_run


def main_of(response) -> str:
    return response.content.decode().split("<main", 1)[1]


def test_the_run_page_names_codes_and_explains_a_loss_in_english(client, run, secretariat):
    client.force_login(secretariat)
    response = client.get(run.get_absolute_url())
    report = response.context["report"]
    charlie = next(item for item in report.chosen if item.title == "Charlie in Nepal")
    assert charlie.explanation == (
        "Chosen for its score of 3, and it brings the only one with a partner of the type "
        "Workers' organisation (+0.25), the only one in Asia and the Pacific (+0.25) and "
        "needed for at least 1 webinar on Child labour."
    )
    [bravo] = report.left_out
    assert bravo.explanation == (
        "Left out: forcing it in would lower the series' value by 0.1 (from 8 to 7.9), "
        "because the best series with it must drop “Alpha in Ghana”, which brings more: a "
        "higher score, or bonuses and coverage it does not bring."
    )
    assert report.objective_gain < 0
    assert report.gain_note.startswith(
        "The chosen series is worth 0.4 less than the top by score, because the top by score "
        "falls 1 place short of the minimums per theme and Outcome"
    )
    html = main_of(response)
    assert report.gain_note in html.replace("&#x27;", "'")
    for code in CODES:
        assert code not in html, code


def test_a_french_reader_gets_the_names_in_french_and_no_code(client, run, secretariat):
    secretariat.language = "fr"
    secretariat.save(update_fields=["language"])
    client.force_login(secretariat)
    response = client.get(run.get_absolute_url())
    report = response.context["report"]
    charlie = next(item for item in report.chosen if item.title == "Charlie in Nepal")
    assert "Organisation de travailleurs (+0,25)" in charlie.explanation
    assert "Asie et Pacifique (+0,25)" in charlie.explanation
    assert "Travail des enfants" in charlie.explanation
    assert "0,4" in report.gain_note
    [bravo] = report.left_out
    assert "de 0,1 " in bravo.explanation or "by 0,1 " in bravo.explanation
    html = main_of(response)
    assert "Organisation de travailleurs" in html
    for code in CODES:
        assert code not in html, code


def test_the_command_line_keeps_its_sentences():
    data = {
        "seats": 1,
        "proposals": [
            {"id": "p1", "score": 3, "org_types": ["civil_society"], "themes": ["child_labour"]},
            {"id": "p2", "score": 4},
        ],
        "rules": {"min_per_theme": {"child_labour": 1}},
    }
    answer = solve_json(data)
    assert set(answer) == {"status", "selected", "objective", "shortfall", "short", "explanations"}
    assert "civil_society" in answer["explanations"]["p1"]
    assert "min_per_theme.child_labour" in answer["explanations"]["p1"]
