"""Near duplicates: two proposals whose titles or descriptions are nearly the same.

Plain Python, no Django: the query layer passes (id, title, description) triples in.

- Texts are normalised: accents removed, case folded, punctuation dropped, a plural "s" of
  longer words dropped ("chains" and "chain" match).
- Titles are compared word by word (difflib's ratio over the lists of words, small words such
  as "the", "in", "de" left out), so "Child labour in cocoa" and "Child labour in coffee"
  (one topic word of three differs: 0.67) are not flagged, while a title copied with a word
  added or changed is.
- Descriptions are compared by the Jaccard index of their sets of three-word shingles, which
  stays high when a text is copied with a few edits and is near 0 for two texts written
  separately, even on the same subject.
- A pair is flagged when the titles are at least ``TITLE_THRESHOLD`` alike or the
  descriptions at least ``DESCRIPTION_THRESHOLD``; its score is the larger of the two.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TypeVar

TITLE_THRESHOLD = 0.8
DESCRIPTION_THRESHOLD = 0.5
SHINGLE = 3

# Small words of English, French and Spanish left out of the title comparison.
STOPWORDS = frozenset(
    """a an and at by for from in into of on or the to with
    au aux d de des du en et l la le les par pour sur un une
    con del el las lo los para por y""".split()
)

_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> list[str]:
    """The words of ``text``: no accents, case folded, no punctuation, plural "s" dropped."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = [w for w in _NOT_WORD.split(bare.replace("_", " ")) if w]
    return [w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w for w in words]


@dataclass(frozen=True)
class Prepared:
    """One proposal's texts, normalised once for all its comparisons."""

    id: Hashable
    title_words: tuple[str, ...]
    shingles: frozenset[tuple[str, ...]]


def prepare(identifier: Hashable, title: str, description: str) -> Prepared:
    title_words = tuple(w for w in normalise(title) if w not in STOPWORDS)
    words = normalise(description)
    if len(words) < SHINGLE:
        shingles = frozenset({tuple(words)}) if words else frozenset()
    else:
        shingles = frozenset(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    return Prepared(identifier, title_words, shingles)


def title_similarity(a: Prepared, b: Prepared) -> float:
    """0 to 1: how alike the two titles are, word by word (below the threshold, possibly
    an upper bound rather than the exact ratio)."""
    if not a.title_words or not b.title_words:
        return 0.0
    if a.title_words == b.title_words:
        return 1.0
    matcher = SequenceMatcher(None, a.title_words, b.title_words, autojunk=False)
    # Cheap upper bounds first: most pairs stop here.
    if matcher.real_quick_ratio() < TITLE_THRESHOLD or matcher.quick_ratio() < TITLE_THRESHOLD:
        return matcher.quick_ratio()
    return matcher.ratio()


def description_similarity(a: Prepared, b: Prepared) -> float:
    """0 to 1: the Jaccard index of the two descriptions' three-word shingles."""
    if not a.shingles or not b.shingles:
        return 0.0
    return len(a.shingles & b.shingles) / len(a.shingles | b.shingles)


def similarity(a: Prepared, b: Prepared) -> tuple[float, float]:
    """(title similarity, description similarity), each from 0 to 1."""
    return title_similarity(a, b), description_similarity(a, b)


def is_near_duplicate(title_score: float, description_score: float) -> bool:
    return title_score >= TITLE_THRESHOLD or description_score >= DESCRIPTION_THRESHOLD


def score(a: Prepared, b: Prepared) -> float | None:
    """The pair's score (the larger similarity, rounded to 0.01) when it is flagged, else
    None."""
    title_score, description_score = similarity(a, b)
    if is_near_duplicate(title_score, description_score):
        return round(max(title_score, description_score), 2)
    return None


Id = TypeVar("Id", bound=Hashable)


def matches(
    item: tuple[Id, str, str], others: Iterable[tuple[Id, str, str]]
) -> list[tuple[Id, float]]:
    """[(other id, score), ...] of the ``others`` (id, title, description) that are near
    duplicates of ``item``: one proposal against the rest of its call, linear in their number."""
    mine = prepare(*item)
    found = []
    for other in others:
        value = score(mine, prepare(*other))
        if value is not None:
            found.append((other[0], value))
    return found


def near_duplicates(
    items: Iterable[tuple[Id, str, str]],
) -> dict[Id, list[tuple[Id, float]]]:
    """{id: [(other id, score), ...]} for every flagged pair of (id, title, description),
    both ways round, the most alike first. Ids without a near duplicate are left out.

    Quadratic in the number of items with cheap bounds first: for filling a whole call once;
    a change of one proposal uses ``matches``.
    """
    items = list(items)
    ids = [item[0] for item in items]
    prepared = [prepare(*item) for item in items]
    found: dict[Id, list[tuple[Id, float]]] = {}
    for i, a in enumerate(prepared):
        for j in range(i + 1, len(prepared)):
            value = score(a, prepared[j])
            if value is not None:
                found.setdefault(ids[i], []).append((ids[j], value))
                found.setdefault(ids[j], []).append((ids[i], value))
    for pairs in found.values():
        pairs.sort(key=lambda pair: (-pair[1], str(pair[0])))
    return found
