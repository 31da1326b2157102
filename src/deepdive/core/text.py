"""Small helpers for text that people type."""


def one_line(value: str | None) -> str:
    """``value`` on one line: every run of whitespace (spaces, tabs, line breaks including
    ``\\r``, U+2028 and U+2029) becomes one space, and none is left at either end. For fields
    such as a name or a title that end up inside a line of an e-mail."""
    return " ".join((value or "").split())
