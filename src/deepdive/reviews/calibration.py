"""Calibrated scores: correcting for reviewers who are systematically harsher or kinder.

Pure maths, no Django. The additive model, over every review of a call:

    score(p, r) = mu + quality[p] + leniency[r] + noise

``mu`` is the mean of all the scores (fixed, not fitted). ``quality`` and ``leniency`` are
fitted by regularised least squares, solved exactly from the normal equations:

    minimise  sum over reviews of (score - mu - quality[p] - leniency[r])^2
              + ridge * sum over reviewers of leniency[r]^2
              + quality_ridge * sum over proposals of quality[p]^2

``ridge`` (lambda, default 1.0) pulls every leniency towards 0: a reviewer's leniency is only
believed in proportion to how many reviews support it (with n reviews, roughly n / (n + ridge)
of the apparent offset). It also fixes what plain least squares cannot: adding c to every
quality and subtracting c from every leniency fits equally well; the penalty picks the answer
whose leniencies sum to zero within each connected group of reviewers (reviewers linked by
proposals they both reviewed), so disconnected groups need no special case.

``quality_ridge`` (default 0) would also shrink the proposals towards ``mu``. It is off by
default so that calibration changes a proposal's score only by what its reviewers' leniencies
explain: when all reviewers score alike, every calibrated score equals the raw mean.

The calibrated score of a proposal is ``mu + quality[p]``, in the units of the scores given
(for the total of four criteria, 4 to 20). Deterministic: the same reviews in any order give
the same answer.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np

DEFAULT_RIDGE = 1.0


@dataclass(frozen=True)
class Calibration:
    mu: float
    ridge: float
    quality: dict[Hashable, float] = field(default_factory=dict)
    leniency: dict[Hashable, float] = field(default_factory=dict)
    calibrated: dict[Hashable, float] = field(default_factory=dict)  # mu + quality[p]
    raw_mean: dict[Hashable, float] = field(default_factory=dict)
    reviews_by_reviewer: dict[Hashable, int] = field(default_factory=dict)

    def change(self, proposal_id: Hashable) -> float:
        """How much calibration moved the proposal: calibrated minus raw mean."""
        return self.calibrated[proposal_id] - self.raw_mean[proposal_id]


def _ordered(ids: Iterable[Hashable]) -> list[Hashable]:
    unique = list(dict.fromkeys(ids))
    try:
        return sorted(unique)
    except TypeError:
        return sorted(unique, key=repr)


def calibrate(
    reviews: Iterable[tuple[Hashable, Hashable, float]],
    *,
    ridge: float = DEFAULT_RIDGE,
    quality_ridge: float = 0.0,
) -> Calibration:
    """Fit the additive model to ``reviews``: (proposal id, reviewer id, score) triples.

    ``ridge`` must be > 0 (it makes the answer unique); ``quality_ridge`` >= 0.
    An empty list gives an empty Calibration.
    """
    if ridge <= 0:
        raise ValueError("ridge must be greater than 0")
    if quality_ridge < 0:
        raise ValueError("quality_ridge must be 0 or more")
    rows = [(p, r, float(s)) for p, r, s in reviews]
    if not rows:
        return Calibration(mu=0.0, ridge=ridge)
    proposals = _ordered(p for p, _, _ in rows)
    reviewers = _ordered(r for _, r, _ in rows)
    p_index = {p: i for i, p in enumerate(proposals)}
    r_index = {r: len(proposals) + i for i, r in enumerate(reviewers)}
    # Sum in a fixed order so that the input order cannot change the last digits.
    rows.sort(key=lambda row: (p_index[row[0]], r_index[row[1]], row[2]))
    mu = float(np.mean([s for _, _, s in rows]))

    size = len(proposals) + len(reviewers)
    normal = np.zeros((size, size))
    right = np.zeros(size)
    for p, r, score in rows:
        i, j = p_index[p], r_index[r]
        residual = score - mu
        normal[i, i] += 1
        normal[j, j] += 1
        normal[i, j] += 1
        normal[j, i] += 1
        right[i] += residual
        right[j] += residual
    for i in range(len(proposals)):
        normal[i, i] += quality_ridge
    for j in range(len(proposals), size):
        normal[j, j] += ridge
    solution = np.linalg.solve(normal, right)

    quality = {p: float(solution[p_index[p]]) for p in proposals}
    leniency = {r: float(solution[r_index[r]]) for r in reviewers}
    sums: dict[Hashable, list[float]] = {}
    counts: dict[Hashable, int] = {}
    for p, r, score in rows:
        sums.setdefault(p, []).append(score)
        counts[r] = counts.get(r, 0) + 1
    return Calibration(
        mu=mu,
        ridge=ridge,
        quality=quality,
        leniency=leniency,
        calibrated={p: mu + quality[p] for p in proposals},
        raw_mean={p: float(np.mean(sums[p])) for p in proposals},
        reviews_by_reviewer=counts,
    )
