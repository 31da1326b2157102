"""Server-drawn charts for the reports: inline SVG, readable without JavaScript, by screen
readers (``role="img"`` with ``<title>`` and ``<desc>``) and in print, in colours that hold
for colour-blind readers (the Okabe–Ito palette) and in greyscale (each series also has its
own hatching). A chart is always shown with its data table (``_chart.html``).

Why matplotlib rather than altair with vl-convert: matplotlib is one mature library (twenty
years, stable output) already in the lock with no further dependency, draws SVG itself with no
headless browser or JavaScript engine (vl-convert embeds Deno and V8, a download of tens of
megabytes for each platform), and keeps the labels as SVG ``<text>`` (``svg.fonttype =
"none"``) so they are selectable, translated and read aloud. We draw with ``Figure`` and the
SVG canvas directly: no pyplot, so no global state shared between requests.

The same report is opened often: each drawing is cached (Django's cache) under a hash of its
inputs, and ``svg.hashsalt`` is fixed so that the same inputs always give the same markup.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import matplotlib
from django.core.cache import cache
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator

# Okabe & Ito (2008), "Color Universal Design": distinguishable for every common colour
# vision deficiency. Each series also gets a hatching, so that greyscale prints differ too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# Line hatchings only: dotted ones draw hundreds of circles into every pattern.
HATCHES = ("", "//", "\\\\", "xx", "--", "++", "||")
# Category names longer than this turn the bars horizontal, where names are read across.
LONG_NAME = 12
# More categories than this turn the bars horizontal too: their names would overlap below.
MANY = 6
# The drawing's width in points, its own units: about a phone's column (375 px less the
# page's margins), so that a phone shows it at about its size and 12-point text reads as
# 12 px. Wider screens may enlarge it, up to the maximum width in ``report.css``.
WIDTH_PT = 344
WIDTH = WIDTH_PT / 72  # inches
FONT_PT = 12
# The average width of a character of DejaVu Sans, in ems: to foresee what fits in a line.
CHAR_EM = 0.62
# A horizontal chart's name above its bars: wrapped at this many characters, three lines at
# most, then an ellipsis (the data table beside the chart has the whole name).
WRAP = 34
LINES = 3
# Horizontal charts, in points: one line of a name, one bar, the space between categories.
LINE_PT = 15.0
BAR_PT = 15.0
# Three bars or more to a category: each a little thinner, so the chart stays within a few
# screens (still as high as a line of numbers, which are written beside the bars).
THIN_BAR_PT = 13.0
GAP_PT = 9.0
CACHE_SECONDS = 60 * 60 * 24
CACHE_VERSION = 6


def _number(value: float) -> str:
    return f"{value:g}"


def _cache_key(payload: dict) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return f"insight-chart:{CACHE_VERSION}:" + hashlib.sha256(text.encode()).hexdigest()


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    number_format: Callable[[float], str] = _number,
) -> str:
    """An inline SVG bar chart: one group of bars per category, one bar per series (its label
    in the legend). Horizontal, each name above its bars, when the names would not fit below
    upright bars. About a phone's width, its text 12 units high. The markup starts with
    ``<svg``, has ``role="img"``, a ``<title>`` and a ``<desc>``, and its text is text."""
    categories = [str(c) for c in categories]
    values = {str(label): [float(v or 0) for v in numbers] for label, numbers in series.items()}
    key = _cache_key(
        {
            "title": str(title),
            "description": str(description),
            "categories": categories,
            "series": values,
            "labels": [number_format(v) for numbers in values.values() for v in numbers],
        }
    )
    found = cache.get(key)
    if isinstance(found, str):
        return found
    ident = "chart-" + key.rsplit(":", 1)[1][:10]
    drawn = _draw(ident, str(title), str(description), categories, values, number_format)
    cache.set(key, drawn, CACHE_SECONDS)
    return drawn


def _draw(
    ident: str,
    title: str,
    description: str,
    categories: list[str],
    series: dict[str, list[float]],
    number_format: Callable[[float], str],
) -> str:
    with matplotlib.rc_context(RC):
        figure = _figure(categories, series, number_format)
        out = io.StringIO()
        # "tight": the saved drawing holds every piece of text, whatever was foreseen.
        figure.savefig(
            out,
            format="svg",
            bbox_inches="tight",
            pad_inches=0.04,
            metadata={"Date": None, "Creator": None},
        )
    return _accessible(out.getvalue(), ident, title, description)


RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "deepdive-insight",
    "font.size": FONT_PT,
    # One family named in every <text>: the page's own sans-serif, not a list of ten.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
}


def _text_width(text: str) -> float:
    """The foreseen width in points of one line of ``text`` at the charts' font size."""
    return len(text) * CHAR_EM * FONT_PT


def is_horizontal(categories: Sequence[str]) -> bool:
    """Bars across when the names would not fit side by side below upright bars."""
    if len(categories) > MANY or any(len(name) > LONG_NAME for name in categories):
        return True
    room = (WIDTH_PT - 40) / max(len(categories), 1)  # the y axis's numbers apart
    return any(_text_width(name) > room - 6 for name in categories)


def _legend_columns(labels: Sequence[str]) -> int:
    """As many legend entries a row as fit in the drawing's width (each as wide as the widest:
    the columns line up), so that the legend is never wider than the chart."""
    entry = max(_text_width(label) for label in labels) + 3.6 * FONT_PT  # key, gaps
    return max(1, min(len(labels), int((WIDTH_PT - 8) // entry)))


def _figure(
    categories: list[str],
    series: dict[str, list[float]],
    number_format: Callable[[float], str],
) -> Figure:
    """The chart drawn, not yet saved (call within ``matplotlib.rc_context(RC)``)."""
    columns = _legend_columns(list(series)) if len(series) > 1 else 0
    if is_horizontal(categories):
        figure = _across(categories, series, number_format, columns)
    else:
        figure = _upright(categories, series, number_format, columns)
    if columns:
        # Below the bars, never over them, in as many rows as needed.
        figure.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=columns,
            frameon=False,
            borderaxespad=0.2,
        )
    return figure


def _bars(axes: Any, series: dict[str, list[float]], horizontal: bool, **place: Any) -> list:
    drawn = []
    for index, (label, numbers) in enumerate(series.items()):
        style: dict[str, Any] = {
            "color": PALETTE[index % len(PALETTE)],
            "hatch": HATCHES[index % len(HATCHES)],
            "edgecolor": "#222222",
            "linewidth": 0.6,
            "label": label,
        }
        positions = place["positions"][index]
        if horizontal:
            drawn.append(axes.barh(positions, numbers, height=place["thickness"], **style))
        else:
            drawn.append(axes.bar(positions, numbers, width=place["thickness"], **style))
    return drawn


def _across(
    categories: list[str],
    series: dict[str, list[float]],
    number_format: Callable[[float], str],
    columns: int,
) -> Figure:
    """Horizontal bars, each category's name on its own lines above its bars, across the
    drawing's whole width (a phone has no room for names beside the bars); the drawing grows
    with the number of categories. The axes are placed in points, so that the names, drawn
    in points, fit the room left for them."""
    groups = max(len(series), 1)
    bar = BAR_PT if groups <= 2 else THIN_BAR_PT
    names = [_wrap(c) for c in categories]
    tops: list[float] = []  # where each category's bars start, from the top, in points
    cursor = GAP_PT / 2
    for name in names:
        cursor += LINE_PT * (name.count("\n") + 1) + 4
        tops.append(cursor)
        cursor += bar * groups + GAP_PT
    plot = max(cursor - GAP_PT / 2, bar)
    rows = -(-len(series) // columns) if columns else 0
    below = 2.2 * FONT_PT + (rows * 1.5 * FONT_PT + 6 if rows else 0)
    height = plot + below + 4
    left, right = 4.0, 8.0
    figure = Figure(figsize=(WIDTH, height / 72))
    FigureCanvasSVG(figure)
    axes = figure.add_axes(
        (left / WIDTH_PT, below / height, (WIDTH_PT - left - right) / WIDTH_PT, plot / height)
    )
    axes.set_ylim(plot, 0)  # points, from the top
    positions = [[top + bar * (index + 0.5) for top in tops] for index in range(groups)]
    for bars, numbers in zip(
        _bars(axes, series, True, positions=positions, thickness=bar * 0.85),
        series.values(),
        strict=True,
    ):
        axes.bar_label(bars, labels=[number_format(v) for v in numbers], padding=3)
    for name, top in zip(names, tops, strict=True):
        axes.annotate(
            name,
            xy=(0, top),
            xycoords=("axes fraction", "data"),
            xytext=(3, 1),
            textcoords="offset points",
            ha="left",
            va="bottom",
            linespacing=1.15,
        )
    axes.set_yticks([])
    axes.margins(x=0.2)
    axes.set_xlim(left=0)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def _upright(
    categories: list[str],
    series: dict[str, list[float]],
    number_format: Callable[[float], str],
    columns: int,
) -> Figure:
    """Upright bars, a few short names below them."""
    groups = max(len(series), 1)
    rows = -(-len(series) // columns) if columns else 0
    height = 3.0 + rows * 0.3
    # Room below the axes for the legend, if any (drawn by the caller at the bottom).
    legend = (rows * 1.5 * FONT_PT + 6) / 72 / height if rows else 0.0
    figure = Figure(figsize=(WIDTH, height), layout=ConstrainedLayoutEngine(rect=(0, legend, 1, 1)))
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    thickness = 0.8 / groups
    places = list(range(len(categories)))
    positions = [[p - 0.4 + thickness * (i + 0.5) for p in places] for i in range(groups)]
    for bars, numbers in zip(
        _bars(axes, series, False, positions=positions, thickness=thickness),
        series.values(),
        strict=True,
    ):
        axes.bar_label(bars, labels=[number_format(v) for v in numbers], padding=2)
    axes.set_xticks(places, categories)
    axes.margins(y=0.15)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def _wrap(name: str) -> str:
    """A long category name on up to ``LINES`` lines of ``WRAP`` characters, then "…"."""
    return "\n".join(textwrap.wrap(name, WRAP, max_lines=LINES, placeholder=" …")) or name


def _presentation(match: re.Match[str]) -> str:
    """``style="fill: #fff; stroke: none"`` as ``fill="#fff" stroke="none"``: the site's
    Content-Security-Policy (no inline styles) would drop the style attribute and paint every
    shape black; SVG presentation attributes are not styles and stay."""
    pairs = [part.split(":", 1) for part in match[1].split(";") if ":" in part]
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def _smaller(svg: str) -> str:
    """The same drawing in fewer bytes (a public page stays small) and without inline CSS:
    no metadata, styles as attributes, coordinates to two decimals, no empty rotations, no
    indentation."""
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = re.sub(r' style="([^"]*)"', _presentation, svg)
    svg = re.sub(r"<[^>]+>", lambda tag: re.sub(r"(\d+\.\d\d)\d+", r"\1", tag[0]), svg)
    svg = re.sub(r' transform="rotate\(-?0 [^"]*\)"', "", svg)
    return re.sub(r">\s+<", "><", svg)


def _accessible(svg: str, ident: str, title: str, description: str) -> str:
    """The ``<svg>`` element alone (no XML prolog or doctype, it is inlined in a page), made
    responsive, with ``role="img"``, its ``<title>`` and ``<desc>`` first, and every id
    inside it prefixed with ``ident`` so that several charts share a page."""
    start = svg.index("<svg")
    svg = _smaller(svg[start:])
    svg = re.sub(r' id="([^"]+)"', rf' id="{ident}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{ident}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{ident}-\1"', svg)
    svg = re.sub(r'(<svg[^>]*?)\swidth="[^"]*"', r"\1", svg, count=1)
    svg = re.sub(r'(<svg[^>]*?)\sheight="[^"]*"', r"\1", svg, count=1)
    label = (
        '<svg role="img" aria-labelledby="{id}-title {id}-desc" class="chart"'
        ' preserveAspectRatio="xMidYMid meet"'
    )
    svg = svg.replace("<svg", label.replace("{id}", ident), 1)
    head_end = svg.index(">") + 1
    heading = (
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    )
    return svg[:head_end] + heading + svg[head_end:]
