"""The reports' charts: valid SVG, readable by screen readers (role, title, description),
text kept as text, the same drawing for the same inputs (and cached), greyscale-safe."""

import xml.etree.ElementTree as ET

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
