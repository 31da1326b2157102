"""Drawing an announcement card: Pillow only, no browser, no database.

``draw(data, style, size)`` lays out what ``CardData`` holds (already in the card's language)
in one of the ``SIZES`` with the series' ``Style`` and hands back the picture and the warnings
a person should see. Text is shaped by Pillow's Raqm engine (FriBiDi and HarfBuzz), so an
Arabic or Hebrew name is joined and ordered right to left; the fonts are DejaVu Sans, shipped in
``fonts/`` (Latin with accents, Greek, Cyrillic, Arabic, Hebrew).

A title that does not fit on one line first shrinks (down to ``ONE_LINE_FLOOR`` of its size),
then wraps (at the largest size where the lines fit its box, down to ``MIN_TITLE``), and only
then is cut with an ellipsis: the card then carries a warning.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import qrcode  # type: ignore[import-untyped]  # ships no type hints; no stub package may be added
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"

PNG, PDF = "png", "pdf"
# Size name → (width, height, file format). The flyer is A4 at 150 dpi.
SIZES: dict[str, tuple[int, int, str]] = {
    "preview": (1200, 630, PNG),
    "square": (1080, 1080, PNG),
    "story": (1080, 1920, PNG),
    "flyer": (1240, 1754, PDF),
}
FLYER_DPI = 150
ONE_LINE_FLOOR = 0.8  # a one-line title shrinks to 80 % of its size before it wraps
MIN_TITLE = 0.55  # ... and wraps down to 55 % of its size before it is cut
BACKGROUND = "#ffffff"
INK = "#1a1a2e"
MUTED = "#4a4a5e"
ELLIPSIS = "…"


@dataclass(frozen=True)
class CardData:
    """What a card says, already in its language."""

    title: str
    series: str
    when: str  # date and time in the series' zone, with the zone named
    elsewhere: tuple[str, ...]  # the time in two or three main audience zones
    hosts: tuple[str, ...]
    themes: tuple[str, ...]
    languages: tuple[str, ...]
    url: str
    host_logo: bytes | None = None


@dataclass(frozen=True)
class Style:
    primary: str
    accent: str
    layout: str  # "banner" or "split"
    logo: bytes | None = None
    version: int = 0


@dataclass
class Card:
    image: Image.Image
    warnings: list[str] = field(default_factory=list)
    qr_box: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, module size, modules
    frame: tuple[int, int, int, int] = (0, 0, 0, 0)  # the margins' inner box

    def encoded(self, kind: str) -> bytes:
        out = io.BytesIO()
        if kind == PDF:
            self.image.convert("RGB").save(out, "PDF", resolution=FLYER_DPI)
        else:
            self.image.save(out, "PNG", compress_level=6)
        return out.getvalue()


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(BOLD if bold else REGULAR), size, layout_engine=ImageFont.Layout.RAQM
    )


def text_width(text: str, face: ImageFont.FreeTypeFont) -> float:
    return face.getlength(text)


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _on(colour: str) -> str:
    """White or dark text on ``colour``, whichever reads better (relative luminance)."""
    r, g, b = (c / 255 for c in _rgb(colour))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.5 else "#ffffff"


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Words on lines no wider than ``width``; a word wider than a line is broken."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, face) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, face) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], face) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _cut(line: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """``line`` shortened with an ellipsis to fit ``width``."""
    words = line.split()
    while words and text_width(" ".join(words) + ELLIPSIS, face) > width:
        words.pop()
    if words:
        return " ".join(words) + ELLIPSIS
    while line and text_width(line + ELLIPSIS, face) > width:
        line = line[:-1]
    return line + ELLIPSIS


@dataclass(frozen=True)
class TitleFit:
    size: int
    lines: tuple[str, ...]
    shortened: bool


def fit_title(text: str, *, width: float, height: float, size: int) -> TitleFit:
    """The title's size and lines in a ``width`` × ``height`` box, starting at ``size``:
    shrink on one line, then wrap, then cut (see the module)."""
    text = " ".join(text.split())
    floor = max(8, int(size * ONE_LINE_FLOOR))
    for s in range(size, floor - 1, -2):
        if text_width(text, font(s, bold=True)) <= width and s * 1.2 <= height:
            return TitleFit(s, (text,), False)
    smallest = max(8, int(size * MIN_TITLE))
    for s in range(size, smallest - 1, -2):
        lines = wrap(text, font(s, bold=True), width)
        if len(lines) * s * 1.2 <= height:
            return TitleFit(s, tuple(lines), False)
    face = font(smallest, bold=True)
    lines = wrap(text, face, width)
    room = max(1, int(height // (smallest * 1.2)))
    kept = lines[:room]
    kept[-1] = _cut(kept[-1] + " " + " ".join(lines[room:]), face, width)
    return TitleFit(smallest, tuple(kept), True)


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code of ``url``, with its quiet zone (True = dark module)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


def _paste_logo(image: Image.Image, data: bytes | None, box: tuple[int, int, int, int]) -> None:
    """The logo scaled into ``box`` (left, top, width, height), on a white tile; nothing when
    it cannot be read (a logo is checked when uploaded; the card must not fail for it)."""
    if not data:
        return
    try:
        logo: Image.Image = Image.open(io.BytesIO(data))
        logo.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return
    logo = logo.convert("RGBA")
    logo.thumbnail((box[2], box[3]))
    tile = Image.new("RGBA", (logo.width + 16, logo.height + 16), "#ffffff")
    tile.alpha_composite(logo, (8, 8))
    image.paste(tile, (box[0], box[1]), tile)


class _Writer:
    """Lines of text from the top of a column, each wrapped to the column's width."""

    def __init__(self, draw: ImageDraw.ImageDraw, x: int, y: int, width: int, bottom: int) -> None:
        self.draw, self.x, self.y, self.width, self.bottom = draw, x, y, width, bottom
        self.cut = False

    def lines(
        self, text: str, size: int, colour: str, *, bold: bool = False, gap: float = 0.35
    ) -> None:
        face = font(size, bold=bold)
        for line in wrap(text, face, self.width):
            if self.y + size * 1.2 > self.bottom:
                self.cut = True
                return
            self.draw.text((self.x, self.y), line, font=face, fill=colour)
            self.y += int(size * 1.25)
        self.y += int(size * gap)


def draw(data: CardData, style: Style, size: str) -> Card:
    """The card of ``data`` in ``size`` (a key of ``SIZES``); see the module."""
    width, height, _kind = SIZES[size]
    image = Image.new("RGBA", (width, height), BACKGROUND)
    pen = ImageDraw.Draw(image)
    unit = min(width, height)
    margin = int(unit * 0.06)
    on_primary = _on(style.primary)
    card = Card(image=image, frame=(margin, margin, width - margin, height - margin))

    # A side column is too narrow on a portrait card: those keep the banner.
    if style.layout == "split" and width >= height:
        column = int(width * 0.34)
        pen.rectangle((0, 0, column, height), fill=style.primary)
        pen.rectangle((column, 0, column + max(6, unit // 120), height), fill=style.accent)
        side = _Writer(pen, margin, margin, column - 2 * margin, height - margin)
        side.lines(data.series, int(unit * 0.035), on_primary, bold=True)
        logo_top = side.y
        _paste_logo(image, style.logo, (margin, logo_top, column - 2 * margin, int(unit * 0.12)))
        qr_size = min(column - 2 * margin, int(unit * 0.3))
        qr_left, qr_top = margin, height - margin - qr_size
        text_left, text_top, text_right = column + margin, margin, width - margin
        text_bottom = height - margin
    else:
        band = int(unit * 0.16)
        pen.rectangle((0, 0, width, band), fill=style.primary)
        pen.rectangle((0, band, width, band + max(6, unit // 120)), fill=style.accent)
        logo_width = int(width * 0.22) if style.logo else 0
        top = _Writer(pen, margin, margin // 2 + 4, width - 2 * margin - logo_width, band - 4)
        top.lines(data.series, int(unit * 0.04), on_primary, bold=True)
        _paste_logo(
            image,
            style.logo,
            (width - margin - logo_width, margin // 2, logo_width, band - margin),
        )
        qr_size = int(unit * (0.22 if height > width * 1.2 else 0.26))
        qr_left, qr_top = width - margin - qr_size, height - margin - qr_size
        text_left, text_top, text_right = margin, band + margin, width - margin
        text_bottom = height - margin
        if height <= width:  # the QR code takes the bottom right corner: text beside it
            text_right = qr_left - margin // 2

    # The title: its box takes up to 36 % of the text column's height (42 % on portraits).
    column_height = text_bottom - text_top
    title_size = int(unit * (0.085 if height > width * 1.2 else 0.066))
    # The QR code sits below the title: the title may take the whole width.
    fit = fit_title(
        data.title,
        width=width - margin - text_left,
        height=column_height * (0.42 if height > width * 1.2 else 0.36),
        size=title_size,
    )
    y = text_top
    title_face = font(fit.size, bold=True)
    for line in fit.lines:
        pen.text((text_left, y), line, font=title_face, fill=INK)
        y += int(fit.size * 1.2)
    pen.rectangle(
        (text_left, y + 8, text_left + unit // 8, y + 8 + max(4, unit // 200)), fill=style.accent
    )
    y += int(unit * 0.04)
    if fit.shortened:
        card.warnings.append(
            _("The title was shortened on the %(size)s card.") % {"size": size_name(size)}
        )

    # The details stop above the QR code when it is under them (portrait banners).
    under = qr_left < text_right and qr_left + qr_size > text_left
    bottom = qr_top - margin // 2 if under else text_bottom
    body = _Writer(pen, text_left, y, text_right - text_left, bottom)
    small = int(unit * 0.032)
    when_colour = style.primary if _on(style.primary) == "#ffffff" else INK  # dark enough
    body.lines(data.when, int(unit * 0.037), when_colour, bold=True, gap=0.2)
    for line in data.elsewhere:
        body.lines(line, small, MUTED, gap=0)
    body.y += small // 2
    if data.hosts:
        body.lines(
            _("Hosted by %(hosts)s") % {"hosts": ", ".join(data.hosts)}, small, INK, bold=True
        )
    if data.themes:
        body.lines(" · ".join(data.themes), small, MUTED)
    if data.languages:
        body.lines(
            _("Language: %(languages)s") % {"languages": ", ".join(data.languages)}, small, MUTED
        )
    if body.cut:
        card.warnings.append(
            _("Some details did not fit on the %(size)s card.") % {"size": size_name(size)}
        )
    if data.host_logo and body.y + unit * 0.1 < bottom:
        _paste_logo(image, data.host_logo, (text_left, body.y, int(unit * 0.25), int(unit * 0.09)))

    matrix = qr_matrix(data.url)
    module = max(1, qr_size // len(matrix))
    pen.rectangle(
        (qr_left, qr_top, qr_left + module * len(matrix), qr_top + module * len(matrix)),
        fill="#ffffff",
    )
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                x0, y0 = qr_left + col * module, qr_top + row * module
                pen.rectangle((x0, y0, x0 + module - 1, y0 + module - 1), fill="#000000")
    card.qr_box = (qr_left, qr_top, module, len(matrix))
    card.image = image.convert("RGB")
    return card


def size_name(size: str) -> str:
    """The size's name for people."""
    return {
        "preview": _("link preview"),
        "square": _("square"),
        "story": _("story"),
        "flyer": _("A4 flyer"),
    }.get(size, size)


def alt_text(data: CardData) -> str:
    """The card's alternative text: a sentence with what matters."""
    if data.hosts:
        return _("Announcement of the webinar “%(title)s”, %(when)s, hosted by %(hosts)s.") % {
            "title": data.title,
            "when": data.when,
            "hosts": ", ".join(data.hosts),
        }
    return _("Announcement of the webinar “%(title)s”, %(when)s.") % {
        "title": data.title,
        "when": data.when,
    }


def thumbnail(png_or_card: Image.Image, width: int = 360) -> bytes:
    """A small PNG of a card, for the downloads page."""
    small = png_or_card.copy()
    small.thumbnail((width, width * 2))
    out = io.BytesIO()
    small.save(out, "PNG")
    return out.getvalue()
