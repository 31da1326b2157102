"""The one rule that counts the words of a description, on the server and in the browser.

A word is a run of characters between white space. ``static/proposals/proposal.js`` counts the
same way (``text.trim().split(/\\s+/)``); the server's count decides.
"""

import re

_WHITESPACE = re.compile(r"\s+")


def count_words(text: str) -> int:
    stripped = (text or "").strip()
    return len(_WHITESPACE.split(stripped)) if stripped else 0
