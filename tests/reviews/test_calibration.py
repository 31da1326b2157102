"""The calibration maths: score = mu + quality[p] + leniency[r] + noise, ridge on leniency."""

import random

import pytest

from deepdive.reviews.calibration import calibrate

TRUE_QUALITY = {"A": 16, "B": 14, "C": 12, "D": 10}
TRUE_LENIENCY = {"harsh": -3, "kind": 3, "mid": 0}
# The best proposal is reviewed by the harsh reviewer, the second by the kind one: raw means
# put B above A.
PANELS = {"A": ["harsh", "mid"], "B": ["kind", "mid"], "C": ["kind", "harsh"], "D": ["kind", "mid"]}


def synthetic():
    return [(p, r, TRUE_QUALITY[p] + TRUE_LENIENCY[r]) for p in TRUE_QUALITY for r in PANELS[p]]


def order(scores: dict) -> list:
    return sorted(scores, key=lambda k: -scores[k])


def test_recovers_the_true_order_where_raw_means_get_it_wrong():
    fit = calibrate(synthetic())
    assert order(fit.raw_mean) == ["B", "A", "C", "D"]  # raw means are fooled
    assert order(fit.calibrated) == ["A", "B", "C", "D"]
    assert fit.leniency["harsh"] < fit.leniency["mid"] < fit.leniency["kind"]
    assert fit.change("A") > 0 and fit.change("B") < 0


def test_less_regularisation_comes_closer_to_the_true_leniencies():
    loose = calibrate(synthetic(), ridge=0.01)
    assert loose.leniency["kind"] - loose.leniency["harsh"] == pytest.approx(6, abs=0.05)
    assert loose.calibrated["A"] - loose.calibrated["D"] == pytest.approx(6, abs=0.05)


def test_recovers_the_order_with_noise_on_a_larger_call():
    rng = random.Random(87)
    quality = {f"p{i}": 8 + i * 0.5 for i in range(20)}
    leniency = {f"r{j}": (j - 3.5) * 0.8 for j in range(8)}
    reviewers = list(leniency)
    rows = []
    for i, p in enumerate(quality):
        for r in (reviewers[i % 8], reviewers[(i + 3) % 8], reviewers[(i + 5) % 8]):
            rows.append((p, r, quality[p] + leniency[r] + rng.gauss(0, 0.3)))
    fit = calibrate(rows, ridge=0.5)

    def errors(scores):
        return sum(
            1
            for a in quality
            for b in quality
            if quality[a] > quality[b] + 1 and scores[a] <= scores[b]
        )

    assert errors(fit.calibrated) < errors(fit.raw_mean)
    assert errors(fit.calibrated) == 0


def test_no_change_when_all_reviewers_score_alike():
    rows = [(p, r, q) for p, q in {"A": 15, "B": 11, "C": 7}.items() for r in ("x", "y", "z")]
    fit = calibrate(rows)
    for p in ("A", "B", "C"):
        assert fit.calibrated[p] == pytest.approx(fit.raw_mean[p])
    assert all(value == pytest.approx(0) for value in fit.leniency.values())


def test_a_single_reviewer_changes_nothing():
    fit = calibrate([("A", "x", 18), ("B", "x", 9), ("C", "x", 12)])
    assert fit.calibrated == pytest.approx({"A": 18, "B": 9, "C": 12})
    assert fit.leniency["x"] == pytest.approx(0)


def test_a_proposal_with_one_review_and_disconnected_groups():
    rows = [
        # group 1: x is kinder than y on the proposals they share
        ("A", "x", 16), ("A", "y", 12), ("B", "x", 14), ("B", "y", 10),
        # group 2, sharing no proposal or reviewer with group 1
        ("C", "z", 10), ("C", "w", 10),
        # a proposal with one review, by the kind reviewer
        ("D", "x", 15),
    ]  # fmt: skip
    fit = calibrate(rows)
    assert set(fit.calibrated) == {"A", "B", "C", "D"}
    # Leniencies sum to zero within each connected group.
    assert fit.leniency["x"] + fit.leniency["y"] == pytest.approx(0, abs=1e-9)
    assert fit.leniency["z"] + fit.leniency["w"] == pytest.approx(0, abs=1e-9)
    assert fit.leniency["x"] > 0 > fit.leniency["y"]
    # D's only reviewer is kind: D is lowered by x's leniency.
    assert fit.calibrated["D"] == pytest.approx(15 - fit.leniency["x"])
    assert fit.calibrated["C"] == pytest.approx(10)


def test_the_order_of_the_reviews_and_the_names_do_not_matter():
    rows = synthetic()
    fit = calibrate(rows)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    again = calibrate(shuffled)
    assert again.calibrated == fit.calibrated  # exactly: deterministic
    renamed = calibrate([(f"proposal-{p}", f"rev-{r}", s) for p, r, s in rows])
    for p in TRUE_QUALITY:
        assert renamed.calibrated[f"proposal-{p}"] == pytest.approx(fit.calibrated[p])


def test_shifting_every_score_shifts_every_calibrated_score():
    fit = calibrate(synthetic())
    shifted = calibrate([(p, r, s + 2) for p, r, s in synthetic()])
    for p in TRUE_QUALITY:
        assert shifted.calibrated[p] == pytest.approx(fit.calibrated[p] + 2)
    for r in TRUE_LENIENCY:
        assert shifted.leniency[r] == pytest.approx(fit.leniency[r])


def test_mirroring_the_scores_mirrors_the_answer():
    fit = calibrate(synthetic())
    mirrored = calibrate([(p, r, 24 - s) for p, r, s in synthetic()])
    for p in TRUE_QUALITY:
        assert mirrored.calibrated[p] == pytest.approx(24 - fit.calibrated[p])
    for r in TRUE_LENIENCY:
        assert mirrored.leniency[r] == pytest.approx(-fit.leniency[r])


def test_empty_and_bad_ridge():
    assert calibrate([]).calibrated == {}
    with pytest.raises(ValueError):
        calibrate(synthetic(), ridge=0)
