"""The reports' charts: valid SVG, readable by screen readers (role, title, description),
text kept as text, the same drawing for the same inputs (and cached), greyscale-safe."""

import xml.etree.ElementTree as ET

import matplotlib
import pytest
from django.core.cache import cache

from deepdive.insight import charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def draw(**changes):
    values = {
        "title": "Proposals by partner type",
        "description": "Civil society organisations made most proposals.",
        "categories": ["Civil society organisation", "Business"],
        "series": {"Proposals": [3, 1], "Selected": [2, 0]},
    }
    values.update(changes)
    return charts.bar_chart(**values)


def test_bar_chart_is_valid_svg_with_title_and_description():
    root = ET.fromstring(draw())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Proposals by partner type"
    assert root.find(f"{SVG}desc").text == "Civil society organisations made most proposals."
    ids = root.get("aria-labelledby").split()
    assert [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")] == ids


def test_bar_chart_keeps_its_labels_as_text():
    root = ET.fromstring(draw())
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for label in ("Civil society organisation", "Business", "Proposals", "Selected", "3", "2"):
        assert label in texts


def test_bar_chart_series_differ_by_colour_and_hatching():
    markup = draw()
    assert charts.PALETTE[0].lower() in markup.lower()
    assert charts.PALETTE[1].lower() in markup.lower()
    assert "<pattern" in markup  # the second series is hatched


def test_bar_chart_same_inputs_same_markup_and_cached(monkeypatch):
    first = draw()
    cache.clear()
    assert draw() == first  # reproducible: the same markup when drawn again

    def never(*args, **kwargs):
        raise AssertionError("drawn again instead of read from the cache")

    monkeypatch.setattr(charts, "_draw", never)
    assert draw() == first


def test_bar_chart_escapes_its_title():
    root = ET.fromstring(draw(title="Themes <& sectors>"))
    assert root.find(f"{SVG}title").text == "Themes <& sectors>"


LONG_TITLES = [
    "Child-labour-free zones in Uganda's coffee districts",
    "Seafood processing workers organise against forced labour",
    "Reporting on forced labour without harming survivors: a guide for journalists and "
    "editors across the region, with examples",
    "Modern slavery reporting laws and Pacific seafood supply chains",
]
FOUR_SERIES = {
    "Propositions": [8, 10],
    "Sélectionnés": [3, 4],
    "Tenus": [1, 0],
    "Enregistrés": [1, 0],
}


def texts_of(markup):
    """Each ``<text>`` of the drawing: (its words, x, y, anchor, font size), in SVG units."""
    found = []
    for text in ET.fromstring(markup).iter(f"{SVG}text"):
        if text.get("x") is not None:
            x, y = float(text.get("x")), float(text.get("y"))
        else:
            x, y = map(float, text.get("transform").split("(")[1].rstrip(")").split())
        size = float(text.get("font-size").removesuffix("px"))
        found.append(("".join(text.itertext()), x, y, text.get("text-anchor", "start"), size))
    return found


def view_box(markup):
    return [float(n) for n in ET.fromstring(markup).get("viewBox").split()]


@pytest.mark.parametrize(
    "changes",
    [
        {},  # long names: horizontal
        {"categories": ["Female", "Male"]},  # upright
        {"categories": LONG_TITLES, "series": {"Registered": [38, 32, 5, 7]}},
        {"categories": ["Produit 1.1", "Produit 1.2"], "series": FOUR_SERIES},
    ],
)
def test_bar_chart_is_a_phone_wide_with_text_of_12_units_at_least(changes):
    markup = draw(**changes)
    _x, _y, width, _height = view_box(markup)
    # Drawn about a phone's column wide, so that a phone shows it at about 1:1.
    assert 320 <= width <= 360
    sizes = [size for *_rest, size in texts_of(markup)]
    assert sizes and min(sizes) >= 12


def test_long_category_names_wrap_on_3_lines_at_most_then_an_ellipsis():
    markup = draw(categories=LONG_TITLES, series={"Registered": [38, 32, 5, 7]})
    lines = [words for words, *_rest in texts_of(markup)]
    uganda = lines.index("Child-labour-free zones in")
    assert lines[uganda + 1] == "Uganda's coffee districts"
    assert all(len(line) <= charts.WRAP for line in lines)
    guide = lines.index("Reporting on forced labour without")
    assert lines[guide + 1 : guide + 3] == [
        "harming survivors: a guide for",
        "journalists and editors across …",
    ]
    assert "region, with examples" not in " ".join(lines)


@pytest.mark.parametrize(
    "changes",
    [
        {"categories": ["Produit 1.1", "Produit 1.2"], "series": FOUR_SERIES},
        {"categories": ["A", "B"], "series": FOUR_SERIES},  # upright
        {
            "categories": LONG_TITLES[:2],
            "series": {"Enregistrements": [1, 2], "Asistentes": [0, 1]},
        },
    ],
)
def test_the_legend_is_never_cut_off(changes):
    markup = draw(**changes)
    x0, y0, width, height = view_box(markup)
    labels = set(changes["series"])
    shown = [t for t in texts_of(markup) if t[0] in labels]
    assert {t[0] for t in shown} == labels
    for words, x, y, anchor, size in shown:
        # DejaVu Sans: no character wider than 0.7 em on average in these words.
        length = len(words) * 0.7 * size
        left = x - {"start": 0, "middle": length / 2, "end": length}[anchor]
        assert x0 <= left and left + length <= x0 + width, words
        assert y0 + size <= y <= y0 + height, words
    # And as the drawing measures it, before saving: the legend within the figure.
    categories = [str(c) for c in changes["categories"]]
    with matplotlib.rc_context(charts.RC):
        figure = charts._figure(categories, dict(changes["series"]), charts._number)
        figure.draw_without_rendering()  # the layout done, as when saved
        box = figure.legends[0].get_window_extent()
        outline = figure.bbox
        assert outline.x0 <= box.x0 and box.x1 <= outline.x1
        assert outline.y0 <= box.y0 and box.y1 <= outline.y1
