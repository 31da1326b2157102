"""Building the optimiser's input from the database, the defaults, and saving the rules."""

import pytest

from deepdive.core.models import AuditEntry
from deepdive.optimize.select import parse
from deepdive.selection import operations
from deepdive.selection.models import SelectionRules
from deepdive.selection.optimiser_input import build, default_rules, rule_set
from tests.proposals.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    outcome,
    partner_type,
    theme,
)

pytestmark = pytest.mark.django_db


def entry(built, proposal):
    return next(p for p in built.input["proposals"] if p["id"] == f"p{proposal.pk}")


def test_input_counts_only_confirmed_co_submitters_and_keeps_only_scored_submitted(call):
    lead = OrganisationFactory(partner_type=partner_type("civil_society"))
    joint = ProposalFactory(
        call=call,
        lead_organisation=lead,
        countries=["GH", "NP"],
        themes=["child_labour"],
        outcomes=[1, 4],
    )
    union = OrganisationFactory(partner_type=partner_type("workers_organisation"))
    CoSubmitterFactory(proposal=joint, organisation=union)
    pending = ProposalFactory(call=call)
    CoSubmitterFactory(proposal=pending, status="pending")
    CoSubmitterFactory(proposal=pending, status="declined")
    withdrawn = ProposalFactory(call=call, status="withdrawn")
    draft = ProposalFactory(call=call, status="draft")
    unscored = ProposalFactory(call=call)
    built = build(
        call,
        default_rules(call),
        scores={
            joint.pk: 16.0,
            pending.pk: 12.0,
            withdrawn.pk: 20.0,
            draft.pk: 20.0,
        },
    )
    ids = [p["id"] for p in built.input["proposals"]]
    assert ids == [f"p{joint.pk}", f"p{pending.pk}"]
    assert built.unscored == [unscored.pk]
    first = entry(built, joint)
    assert first["score"] == 4.0  # 16 / 4 criteria
    assert first["organisations"] == [f"o{lead.pk}", f"o{union.pk}"]
    assert first["org_types"] == ["civil_society", "workers_organisation"]
    assert first["lead_org_type"] == "civil_society"
    assert first["regions"] == ["africa", "asia_pacific"]
    assert first["themes"] == ["child_labour"]
    assert first["outcomes"] == [1, 4]
    problem = parse(built.input)
    assert problem.proposals[0].joint is True
    assert problem.proposals[1].joint is False  # pending and declined do not count
    assert len(entry(built, pending)["organisations"]) == 1


def test_regions_fall_back_to_the_lead_organisations_countries(call):
    from tests.proposals.factories import country

    lead = OrganisationFactory()
    lead.countries.set([country("PE")])
    proposal = ProposalFactory(call=call, lead_organisation=lead)
    built = build(call, default_rules(call), scores={proposal.pk: 10.0})
    assert entry(built, proposal)["regions"] == ["americas"]


def test_defaults_follow_the_concept_note():
    call = CallFactory(seats=8)
    call.themes.set([theme("child_labour"), theme("forced_labour"), theme("human_trafficking")])
    call.outcomes.set([outcome(1), outcome(2), outcome(3), outcome(4)])
    rules = rule_set(call)
    assert not rules.saved
    assert rules.seats == 8
    assert rules.min_per_theme == {"child_labour": 2, "forced_labour": 2, "human_trafficking": 2}
    assert rules.min_per_outcome == {"1": 1, "2": 1, "3": 1, "4": 1}
    assert rules.max_per_organisation == 1
    assert rules.max_per_lead_org_type is None and rules.max_per_region is None
    assert rules.weights == {
        "joint": 0.5,
        "pathfinder": 0.5,
        "org_type_coverage": 0.25,
        "region_coverage": 0.25,
    }
    call.seats = 5
    assert default_rules(call).min_per_theme["child_labour"] == 2  # a quarter, rounded up


def valid(call, **changes):
    data = {
        "seats": 3,
        "min_per_theme": {"child_labour": 1},
        "min_per_outcome": {"1": 1},
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
    data.update(changes)
    return data


def test_rules_are_saved_with_an_audit_entry(call, secretariat):
    a, b = ProposalFactory(call=call), ProposalFactory(call=call)
    operations.update_rules(
        actor=secretariat,
        call=call,
        **valid(call, include=[a.pk], exclude=[b.pk], max_per_region=2),
    )
    rules = SelectionRules.objects.get(call=call)
    assert rules.seats == 3 and rules.max_per_region == 2 and rules.updated_by == secretariat
    assert list(rules.include.all()) == [a] and list(rules.exclude.all()) == [b]
    saved = rule_set(call)
    assert saved.saved and saved.include == [a.pk] and saved.min_per_outcome == {"1": 1}
    entry_ = AuditEntry.objects.get(action="selection.rules_updated")
    assert entry_.actor == secretariat and "seats" in entry_.changes


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"seats": 0}, "seats", "Select at least one webinar."),
        (
            {"min_per_theme": {"child_labour": -1}},
            "min_theme_child_labour",
            "Give a minimum of 0 or more.",
        ),
        ({"min_per_outcome": {"2": -1}}, "min_outcome_2", "Give a minimum of 0 or more."),
        ({"max_per_region": 0}, "max_per_region", "Give 1 or more, or leave it empty"),
        (
            {
                "weights": {
                    "joint": -0.1,
                    "pathfinder": 0,
                    "org_type_coverage": 0,
                    "region_coverage": 0,
                }
            },
            "weight_joint",
            "Give a weight of 0 or more.",
        ),
    ],
)
def test_invalid_rules_are_refused_with_a_message_beside_the_field(
    call, secretariat, changes, field, message
):
    with pytest.raises(operations.RulesInvalid) as refused:
        operations.update_rules(actor=secretariat, call=call, **valid(call, **changes))
    assert message in " ".join(refused.value.errors[field])
    assert not SelectionRules.objects.exists()


def test_a_proposal_cannot_be_locked_in_and_out(call, secretariat):
    p = ProposalFactory(call=call, title="Both ways")
    with pytest.raises(operations.RulesInvalid) as refused:
        operations.update_rules(
            actor=secretariat, call=call, **valid(call, include=[p.pk], exclude=[p.pk])
        )
    assert "both locked in and locked out: “Both ways”" in refused.value.errors["exclude"][0]


def test_more_locked_in_than_seats_is_allowed(call, secretariat):
    ps = [ProposalFactory(call=call) for _ in range(3)]
    operations.update_rules(
        actor=secretariat, call=call, **valid(call, seats=1, include=[p.pk for p in ps])
    )
    assert SelectionRules.objects.get(call=call).include.count() == 3


def test_only_the_secretariat_may_change_rules(call):
    from tests.proposals.factories import UserFactory

    with pytest.raises(operations.PermissionDenied):
        operations.update_rules(actor=UserFactory(), call=call, **valid(call))
