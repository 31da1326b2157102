"""The colours of a series' header band, checked before they go into a style attribute."""

import re

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DARK_TEXT, LIGHT_TEXT = "#1a1a2e", "#ffffff"


def safe_colour(value: str, fallback: str) -> str:
    """``value`` when it is #rrggbb, else ``fallback`` (nothing else reaches the CSS)."""
    return value.lower() if isinstance(value, str) and HEX.match(value) else fallback


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(background: str) -> str:
    """Dark or white text, whichever contrasts more with ``background``."""
    return max((LIGHT_TEXT, DARK_TEXT), key=lambda text: contrast(text, background))


def band(primary: str, accent: str) -> dict[str, str]:
    """The CSS custom properties of the band: main and accent colours, text colour on them."""
    primary = safe_colour(primary, "#1e2dbe")
    accent = safe_colour(accent, "#fa3c4b")
    return {
        "--series-primary": primary,
        "--series-accent": accent,
        "--series-on-primary": readable_on(primary),
    }
