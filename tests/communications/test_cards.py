"""The drawing of a card: sizes, text inside the frame, long titles, right-to-left names, the
QR code."""

import io

import pytest
from PIL import Image, ImageChops, ImageFont

from deepdive.communications import cards

STYLE = cards.Style(primary="#1e2dbe", accent="#fa3c4b", layout="banner")


def data(**changes) -> cards.CardData:
    values = dict(
        title="Ending child labour in cocoa supply chains",
        series="Supply Chains Deep Dive",
        when="Tuesday 3 March 2026, 14:00–15:30 (Paris, France, UTC+01:00)",
        elsewhere=("16:00 Nairobi, Kenya (UTC+03:00)", "08:00 New York, United States"),
        hosts=("Coopérative Élan", "Fair Cocoa"),
        themes=("Child labour",),
        languages=("English",),
        url="http://testserver/webinars/12/",
    )
    values.update(changes)
    return cards.CardData(**values)


def ink_box(
    image: Image.Image, band_bottom: int, left: int = 0
) -> tuple[int, int, int, int] | None:
    """The bounding box of what is not white below the coloured band (right of ``left``)."""
    body = image.crop((left, band_bottom, image.width, image.height))
    white = Image.new("RGB", body.size, "#ffffff")
    box = ImageChops.difference(body, white).getbbox()
    return (
        None
        if box is None
        else (box[0] + left, box[1] + band_bottom, box[2] + left, box[3] + band_bottom)
    )


@pytest.mark.parametrize("size", list(cards.SIZES))
@pytest.mark.parametrize("layout", ["banner", "split"])
def test_a_card_has_its_size_and_its_text_inside_the_frame(size, layout):
    style = cards.Style(primary="#1e2dbe", accent="#fa3c4b", layout=layout)
    card = cards.draw(data(), style, size)
    width, height, kind = cards.SIZES[size]
    assert card.image.size == (width, height)
    left, top, right, bottom = card.frame
    # Below the band (or right of the side column) everything drawn stays in the margins.
    band_bottom = int(min(width, height) * 0.2)
    column = int(width * 0.34) + 20 if layout == "split" and width >= height else 0
    box = ink_box(card.image, band_bottom, column)
    assert box is not None
    assert box[0] >= left - 1 and box[2] <= right + 1 and box[3] <= bottom + 1
    # Not blank: text makes many distinct colours (anti-aliasing) in the text area.
    text_area = card.image.crop((max(left, column), band_bottom, right, bottom))
    assert len(text_area.getcolors(maxcolors=100000) or []) > 20
    assert card.warnings == []
    encoded = card.encoded(kind)
    if kind == cards.PDF:
        assert encoded.startswith(b"%PDF-")
    else:
        assert Image.open(io.BytesIO(encoded)).size == (width, height)


def test_a_long_title_shrinks_then_wraps():
    title = "Ending child labour in cocoa supply chains: what works"
    one_line = cards.fit_title("Short title", width=900, height=300, size=80)
    assert (one_line.size, one_line.lines, one_line.shortened) == (80, ("Short title",), False)
    wrapped = cards.fit_title(title, width=900, height=300, size=80)
    assert len(wrapped.lines) > 1 and not wrapped.shortened
    assert " ".join(wrapped.lines) == title


def test_a_title_too_long_is_cut_and_the_card_says_so():
    title = " ".join(["Forced labour in global supply chains and what partners do about it"] * 6)
    card = cards.draw(data(title=title), STYLE, "square")
    assert card.warnings == ["The title was shortened on the square card."]
    fit = cards.fit_title(title, width=900, height=300, size=80)
    assert fit.shortened and fit.lines[-1].endswith("…")


@pytest.mark.parametrize(
    "name", ["Coopérative Élan de Côte d’Ivoire", "منظمة العمل الدولية", "ארגון העבודה"]
)
def test_accented_and_right_to_left_host_names_are_drawn(name):
    card = cards.draw(data(hosts=(name,)), STYLE, "preview")
    assert card.warnings == []
    assert ink_box(card.image, 200) is not None


def test_arabic_is_shaped_by_raqm():
    """Joined Arabic letters are narrower than the isolated forms the basic layout draws."""
    text = "منظمة العمل الدولية"
    raqm = ImageFont.truetype(str(cards.REGULAR), 40, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(str(cards.REGULAR), 40, layout_engine=ImageFont.Layout.BASIC)
    assert cards.font(40).layout_engine == ImageFont.Layout.RAQM
    assert raqm.getlength(text) != basic.getlength(text)


def test_the_qr_code_on_the_card_is_the_webinars_address():
    url = "http://testserver/webinars/12/"
    card = cards.draw(data(url=url), STYLE, "square")
    left, top, module, count = card.qr_box
    matrix = cards.qr_matrix(url)
    assert count == len(matrix)
    drawn = [
        [
            card.image.getpixel((left + c * module + module // 2, top + r * module + module // 2))
            == (0, 0, 0)
            for c in range(count)
        ]
        for r in range(count)
    ]
    assert drawn == matrix


def test_the_alt_text_names_title_time_and_hosts():
    assert cards.alt_text(data()) == (
        "Announcement of the webinar “Ending child labour in cocoa supply chains”, Tuesday 3 "
        "March 2026, 14:00–15:30 (Paris, France, UTC+01:00), hosted by Coopérative Élan, "
        "Fair Cocoa."
    )
