"""Near duplicates, the pure functions: copies flagged, different topics not."""

from deepdive.proposals import duplicates

from .test_manage_detail import COCOA, COCOA_EDITED, FISHING


def sim(a, b):
    return duplicates.similarity(duplicates.prepare(1, *a), duplicates.prepare(2, *b))


def test_normalise_drops_accents_case_punctuation_and_plurals():
    assert duplicates.normalise("Côte d'Ivoire: SUPPLY-chains!") == [
        "cote",
        "d",
        "ivoire",
        "supply",
        "chain",
    ]


def test_a_copied_title_is_flagged():
    title, _ = sim(
        ("Ending child labour in cocoa supply chains", ""),
        ("Ending Child Labour in the Cocoa Supply Chain", ""),
    )
    assert title == 1.0
    title, _ = sim(
        ("Ending child labour in cocoa supply chains", ""),
        ("Ending child labour in cocoa supply chains of West Africa", ""),
    )
    assert title >= duplicates.TITLE_THRESHOLD


def test_titles_on_different_topics_are_not_flagged():
    title, _ = sim(("Child labour in cocoa", ""), ("Child labour in coffee", ""))
    assert title < duplicates.TITLE_THRESHOLD
    title, _ = sim(("Forced labour at sea", ""), ("Child labour in mining", ""))
    assert title < 0.5


def test_an_edited_copy_of_a_description_is_flagged_another_text_is_not():
    _, description = sim(("A", COCOA), ("B", COCOA_EDITED))
    assert description >= duplicates.DESCRIPTION_THRESHOLD
    _, description = sim(("A", COCOA), ("B", FISHING))
    assert description < 0.1
    # Same subject, written separately.
    _, description = sim(
        ("A", COCOA),
        (
            "B",
            "Child labour in cocoa farming remains widespread. This session discusses "
            "remediation systems and cooperative monitoring and the role of buyers in "
            "financing remediation in West Africa.",
        ),
    )
    assert description < duplicates.DESCRIPTION_THRESHOLD


def test_empty_texts_never_match():
    assert sim(("", ""), ("", "")) == (0.0, 0.0)


def test_near_duplicates_both_ways_most_alike_first():
    found = duplicates.near_duplicates(
        [
            (1, "Ending child labour in cocoa", COCOA),
            (2, "Something else entirely", COCOA_EDITED),
            (3, "Ending child labour in cocoa", "Short."),
            (4, "Fishing vessels", FISHING),
        ]
    )
    assert set(found) == {1, 2, 3}
    assert [other for other, _ in found[1]] == [3, 2]
    assert found[1][0][1] == 1.0
    assert found[2] == [(1, found[1][1][1])]
    assert 4 not in found
