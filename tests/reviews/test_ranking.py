"""The ranking: statistics per criterion and total, disagreement, raw and calibrated totals,
their ranks and sentences, on a small example computed by hand."""

import csv
import io

import pytest
from django.urls import reverse

from deepdive.reviews.models import Review, Reviewer
from deepdive.reviews.queries_reviewing import calibrated_scores, calibration_sentence, ranking
from tests.reviews.factories import (
    CRITERIA,
    ProposalFactory,
    ReviewerFactory,
    ReviewFactory,
    SecretariatFactory,
)
from tests.reviews.factories_reviewing import new_round

pytestmark = pytest.mark.django_db


def scores(*values):
    return dict(zip(CRITERIA, values, strict=True))


@pytest.fixture
def example(reference_data):
    """Reviewer x is kind, y is harsh; they both review A; x alone reviews B, y alone C.

    Hand computation (mu = (18 + 14 + 16 + 12) / 4 = 15, ridge 1): the normal equations give
    leniency x = +1, y = −1 and quality A = 1, B = 0, C = −2, so the calibrated totals are
    A 16 (raw 16), B 15 (raw 16), C 13 (raw 12).
    """
    round_ = new_round()
    call = round_.call
    x = ReviewerFactory(call=call, user__name="Kind Reviewer")
    y = ReviewerFactory(call=call, user__name="Harsh Reviewer")
    z = ReviewerFactory(call=call)
    a = ProposalFactory(call=call, title="A proposal")
    b = ProposalFactory(call=call, title="B proposal")
    c = ProposalFactory(call=call, title="C proposal")
    ReviewFactory(reviewer=x, proposal=a, scores=scores(5, 5, 4, 4), recommendation="select")
    ReviewFactory(reviewer=y, proposal=a, scores=scores(4, 4, 3, 3), recommendation="reject")
    ReviewFactory(reviewer=x, proposal=b, scores=scores(4, 4, 4, 4))
    ReviewFactory(reviewer=y, proposal=c, scores=scores(3, 3, 3, 3))
    # Not counted: a draft, and the reviews of a proposal withdrawn during review.
    ReviewFactory(
        reviewer=z, proposal=a, status="draft", submitted_at=None, scores=scores(1, 1, 1, 1)
    )
    withdrawn = ProposalFactory(call=call, title="Withdrawn proposal", status="withdrawn")
    ReviewFactory(reviewer=x, proposal=withdrawn, scores=scores(5, 5, 5, 5))
    ReviewFactory(reviewer=y, proposal=withdrawn, scores=scores(1, 1, 1, 1))
    return call, {"a": a, "b": b, "c": c, "withdrawn": withdrawn, "x": x, "y": y}


def by_title(result):
    return {str(row.proposal): row for row in result.rows}


def test_the_hand_computed_example(example):
    call, objects = example
    result = ranking(call)
    rows = by_title(result)
    assert [str(row.proposal) for row in result.rows] == ["A proposal", "B proposal", "C proposal"]
    a, b, c = rows["A proposal"], rows["B proposal"], rows["C proposal"]
    assert (a.n, b.n, c.n) == (2, 1, 1)
    assert result.mu == pytest.approx(15)
    assert a.calibrated == pytest.approx(16)
    assert b.calibrated == pytest.approx(15)
    assert c.calibrated == pytest.approx(13)
    assert (a.raw_mean, b.raw_mean, c.raw_mean) == (16, 16, 12)
    assert (a.raw_rank, b.raw_rank, c.raw_rank) == (1, 1, 3)  # A and B tie on raw means
    assert (a.calibrated_rank, b.calibrated_rank, c.calibrated_rank) == (1, 2, 3)
    leniency = {item.reviewer.pk: item.leniency for item in result.leniencies}
    assert leniency[objects["x"].pk] == pytest.approx(1)
    assert leniency[objects["y"].pk] == pytest.approx(-1)
    # Statistics of A: criteria (5, 4), (5, 4), (4, 3), (4, 3); totals 18 and 14.
    first = a.criteria[0][1]
    assert (first.mean, first.median, first.spread) == (4.5, 4.5, 1)
    assert (a.total.mean, a.total.median, a.total.spread) == (16, 16, 4)
    # Disagreement: the totals are only 4 apart, but one says select and the other reject.
    assert len(a.disagreement) == 1 and "another not selecting it" in a.disagreement[0]
    assert not b.disagreement
    assert a.sentence == "Unchanged: its reviewers' harsher and kinder scoring cancel out."
    assert b.sentence == "Lowered by 1.0: its reviewers are kinder than average."
    assert c.sentence == "Raised by 1.0: its reviewers are harsher than average."
    assert calibrated_scores(call) == pytest.approx(
        {objects["a"].pk: 16, objects["b"].pk: 15, objects["c"].pk: 13}
    )


def test_a_withdrawn_proposal_keeps_its_reviews_out_of_the_ranking(example):
    call, objects = example
    assert Review.objects.filter(proposal=objects["withdrawn"]).count() == 2
    assert "Withdrawn proposal" not in by_title(ranking(call))
    assert objects["withdrawn"].pk not in calibrated_scores(call)


def test_a_removed_reviewers_submitted_review_still_counts(example):
    call, objects = example
    Reviewer.objects.filter(pk=objects["y"].pk).update(status=Reviewer.Status.REMOVED)
    rows = by_title(ranking(call))
    assert rows["A proposal"].n == 2
    assert rows["C proposal"].calibrated == pytest.approx(13)


def test_a_wide_spread_is_flagged_and_unreviewed_proposals_come_last(reference_data):
    round_ = new_round()
    p = ProposalFactory(call=round_.call, title="Divisive")
    ProposalFactory(call=round_.call, title="Nobody reviewed it")
    ReviewFactory(reviewer=ReviewerFactory(call=round_.call), proposal=p, scores=scores(5, 5, 5, 4))
    ReviewFactory(reviewer=ReviewerFactory(call=round_.call), proposal=p, scores=scores(3, 3, 2, 5))
    result = ranking(round_.call)
    assert [str(r.proposal) for r in result.rows] == ["Divisive", "Nobody reviewed it"]
    divisive, nobody = result.rows
    assert divisive.total.spread == 6
    assert divisive.disagreement == ["Totals are 6 points apart."]
    assert nobody.n == 0 and nobody.calibrated is None and nobody.calibrated_rank is None
    assert nobody.sentence == "No submitted review yet."


def test_sentences():
    assert calibration_sentence(1.43, [-1.2, -0.8, 0.3]) == (
        "Raised by 1.4: 2 of its reviewers score lower than average across the call."
    )
    assert calibration_sentence(-0.9, [0.9]) == (
        "Lowered by 0.9: its reviewers are kinder than average."
    )
    assert calibration_sentence(0.01, [0.0, 0.01]).startswith("Unchanged: its reviewers score")


def test_the_secretariat_page_and_export(example, client):
    call, _objects = example
    client.force_login(SecretariatFactory())
    response = client.get(reverse("reviews:ranking", kwargs={"call_id": call.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("A proposal") < page.index("B proposal") < page.index("C proposal")
    assert "Lowered by 1.0: its reviewers are kinder than average." in page
    assert "Reviewers disagree" in page
    assert "Kind Reviewer" in page and "Harsh Reviewer" in page
    assert "Withdrawn proposal" not in page
    response = client.get(reverse("reviews:ranking_export", kwargs={"call_id": call.pk}))
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Calibrated rank,Raw rank,Proposal")
    assert lines[2].startswith("2,1,B proposal")


def test_the_export_neutralises_formulas(example, client):
    call, objects = example
    objects["a"].title = '=HYPERLINK("http://x","y")'
    objects["a"].save(update_fields=["title"])
    objects["a"].lead_organisation.name = "+cmd"
    objects["a"].lead_organisation.save(update_fields=["name"])
    client.force_login(SecretariatFactory())
    response = client.get(reverse("reviews:ranking_export", kwargs={"call_id": call.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    first = rows[1]
    assert first[:4] == ["1", "1", '\'=HYPERLINK("http://x","y")', "'+cmd"]
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
