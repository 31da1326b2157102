"""Shared set-up for the selection tests: a call with scored proposals, the scores given
directly (``scores`` fixture patches ``calibrated_scores`` where the selection reads it)."""

import pytest

from tests.proposals.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    partner_type,
)
from tests.reviews.factories import SecretariatFactory

__all__ = ["CoSubmitterFactory", "OrganisationFactory", "ProposalFactory", "partner_type"]


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()


@pytest.fixture
def call(db):
    return CallFactory(seats=2)


@pytest.fixture
def scores(monkeypatch):
    """Set the calibrated totals the selection sees: ``scores({proposal.pk: 16.0})``."""
    given: dict[int, float] = {}

    def fake(call, **kwargs):
        return {
            pk: v
            for pk, v in given.items()
            if pk in set(call.proposals.values_list("pk", flat=True))
        }

    import deepdive.selection.optimiser_input as optimiser_input
    import deepdive.selection.queries as queries

    monkeypatch.setattr(optimiser_input, "calibrated_scores", fake)
    monkeypatch.setattr(queries, "calibrated_scores", fake)

    def set_scores(values: dict) -> dict:
        given.clear()
        given.update({getattr(k, "pk", k): v for k, v in values.items()})
        return given

    return set_scores
