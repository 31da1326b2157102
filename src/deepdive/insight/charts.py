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
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import matplotlib
from django.core.cache import cache
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
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
# Inches (72 points each): a 375 px phone shows the text at about its size in points.
WIDTH = 5.0
CACHE_SECONDS = 60 * 60 * 24
CACHE_VERSION = 5


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
    in the legend). Horizontal when a category name is long. The markup starts with ``<svg``,
    has ``role="img"``, a ``<title>`` and a ``<desc>``, and its text is text."""
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
    horizontal = len(categories) > MANY or any(len(name) > LONG_NAME for name in categories)
    count = max(len(categories), 1)
    groups = max(len(series), 1)
    # Narrow, so that the labels stay legible when a phone scales the drawing to its width.
    if horizontal:
        size = (WIDTH, 1.4 + 0.2 * count * groups)
    else:
        size = (WIDTH, 3.2)
    with matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "deepdive-insight",
            "font.size": 10,
            # One family named in every <text>: the page's own sans-serif, not a list of ten.
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
        }
    ):
        figure = Figure(figsize=size, layout="constrained")
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        thickness = 0.8 / groups
        positions = list(range(len(categories)))
        for index, (label, numbers) in enumerate(series.items()):
            offset = [p - 0.4 + thickness * (index + 0.5) for p in positions]
            style: dict[str, Any] = {
                "color": PALETTE[index % len(PALETTE)],
                "hatch": HATCHES[index % len(HATCHES)],
                "edgecolor": "#222222",
                "linewidth": 0.6,
                "label": label,
            }
            if horizontal:
                bars = axes.barh(offset, numbers, height=thickness, **style)
            else:
                bars = axes.bar(offset, numbers, width=thickness, **style)
            axes.bar_label(bars, labels=[number_format(v) for v in numbers], padding=2)
        counts = MaxNLocator(integer=True)
        if horizontal:
            axes.set_yticks(positions, [_wrap(c) for c in categories])
            axes.invert_yaxis()
            axes.margins(x=0.15)
            axes.xaxis.set_major_locator(counts)
        else:
            axes.set_xticks(positions, categories)
            axes.margins(y=0.15)
            axes.yaxis.set_major_locator(counts)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if len(series) > 1:
            # Below the bars, never over them.
            figure.legend(loc="outside lower center", ncols=len(series), frameon=False)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return _accessible(out.getvalue(), ident, title, description)


def _wrap(name: str, width: int = 22) -> str:
    """A long category name on two or more lines, so the chart keeps its width."""
    words, lines, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


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
