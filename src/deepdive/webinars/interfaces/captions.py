"""Captions: checking WebVTT, converting SRT to WebVTT, and the transcript made of the cues.

No WebVTT library is in the project's lock file, so this is a small parser of the parts of
the W3C WebVTT format captions use: the ``WEBVTT`` signature line and its header, ``NOTE``,
``STYLE`` and ``REGION`` blocks, and cues (an optional identifier, the timing line
``[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt`` with optional settings, then the text). It is strict
where a browser would silently drop a cue (a bad timing line is refused with its line number)
so that what is stored plays everywhere. Pure Python.

A problem is raised as ``CaptionsInvalid`` with the line and a code (``PROBLEMS``, in
English); the service says it in the reader's language.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# [hh:]mm:ss.ttt — hours any number of digits (at least two), minutes and seconds below 60.
TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
VTT_TIMING = re.compile(rf"^{TIME}[ \t]+-->[ \t]+{TIME}(?:[ \t]+(.*))?$")
SRT_TIME = r"(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})"
SRT_TIMING = re.compile(rf"^{SRT_TIME}\s*-->\s*{SRT_TIME}(?:\s+.*)?$")
SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
TAG = re.compile(r"<[^>]*>")
# The tags SRT files carry that WebVTT also knows; others (<font …>) are dropped.
SRT_TAGS = re.compile(r"</?(?:i|b|u)>", re.IGNORECASE)

PROBLEMS = {
    "empty": "the captions are empty",
    "encoding": "the file is not text in UTF-8 or UTF-16",
    "signature": "the first line is not WEBVTT",
    "timing": "the timing line cannot be read",
    "order": "the cue ends before it starts",
    "arrow": "the cue's text holds '-->'",
    "no_cues": "no cue was found",
    "not_captions": "this is neither WebVTT nor SRT",
}


class CaptionsInvalid(ValueError):
    """The captions cannot be used: ``line`` (1-based) and ``problem`` (a code of ``PROBLEMS``)."""

    def __init__(self, problem: str, *, line: int = 1):
        super().__init__(f"line {line}: {PROBLEMS[problem]}")
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class Cue:
    start: int  # milliseconds
    end: int
    text: str  # as in the file (WebVTT markup kept)

    @property
    def plain(self) -> str:
        """The text without its tags, entities decoded, lines joined: for the transcript."""
        return " ".join(html.unescape(TAG.sub("", self.text)).split())

    @property
    def speaker(self) -> str:
        """The voice's name of a ``<v Name>`` tag, if the cue opens with one."""
        found = re.match(r"^<v(?:\.[^ \t>]+)*[ \t]+([^>]+)>", self.text)
        return found.group(1).strip() if found else ""


def _ms(hours: str | None, minutes: str, seconds: str, fraction: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(
        fraction.ljust(3, "0")
    )


def timestamp(ms: int, *, vtt: bool = True) -> str:
    """``hh:mm:ss.ttt`` (``vtt``) or ``h:mm:ss`` / ``m:ss`` for people."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if vtt:
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def decode(data: bytes) -> str:
    """Text from a file's bytes: UTF-8 (with or without its byte-order mark) or UTF-16 with
    one; raises ``CaptionsInvalid("encoding")`` otherwise."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptionsInvalid("encoding") from exc


def _lines(text: str) -> list[str]:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT text; raises ``CaptionsInvalid`` at the first problem."""
    lines = _lines(text)
    if not text.strip():
        raise CaptionsInvalid("empty")
    if not SIGNATURE.match(lines[0]):
        raise CaptionsInvalid("signature", line=1)
    n = 1
    while n < len(lines) and lines[n].strip():  # the header, up to the first blank line
        n += 1
    cues: list[Cue] = []
    while n < len(lines):
        if not lines[n].strip():
            n += 1
            continue
        block_start = n
        block: list[str] = []
        while n < len(lines) and lines[n].strip():
            block.append(lines[n])
            n += 1
        first = block[0]
        if "-->" not in first and first.split()[0] in {"NOTE", "STYLE", "REGION"}:
            continue  # a comment, a style sheet or a region: not shown
        timing_at = 0 if "-->" in first else 1
        if timing_at >= len(block):
            raise CaptionsInvalid("timing", line=block_start + 1)
        found = VTT_TIMING.match(block[timing_at].strip())
        if not found:
            raise CaptionsInvalid("timing", line=block_start + timing_at + 1)
        start = _ms(*found.group(1, 2, 3, 4))
        end = _ms(*found.group(5, 6, 7, 8))
        if end < start:
            raise CaptionsInvalid("order", line=block_start + timing_at + 1)
        text_lines = block[timing_at + 1 :]
        for offset, line in enumerate(text_lines):
            if "-->" in line:
                raise CaptionsInvalid("arrow", line=block_start + timing_at + 2 + offset)
        cues.append(Cue(start, end, "\n".join(text_lines)))
    if not cues:
        raise CaptionsInvalid("no_cues", line=len(lines))
    return cues


def _srt_text(line: str) -> str:
    """An SRT text line as WebVTT text: <i>, <b>, <u> kept, other tags dropped, ``&`` and a
    stray ``<`` escaped."""
    kept: list[str] = []
    position = 0
    for found in TAG.finditer(line):
        kept.append(html.escape(line[position : found.start()], quote=False))
        if SRT_TAGS.fullmatch(found.group(0)):
            kept.append(found.group(0).lower())
        position = found.end()
    kept.append(html.escape(line[position:], quote=False))
    return "".join(kept).replace("-->", "→")


def srt_to_vtt(text: str) -> str:
    """The WebVTT text of an SRT file (numbers, then ``00:00:01,000 --> 00:00:02,500``, then
    the text); raises ``CaptionsInvalid`` with the line of the first problem."""
    lines = _lines(text)
    if not text.strip():
        raise CaptionsInvalid("empty")
    out = ["WEBVTT", ""]
    n = 0
    count = 0
    while n < len(lines):
        if not lines[n].strip():
            n += 1
            continue
        block_start = n
        block: list[str] = []
        while n < len(lines) and lines[n].strip():
            block.append(lines[n].strip())
            n += 1
        timing_at = 1 if block[0].isdigit() else 0
        found = SRT_TIMING.match(block[timing_at]) if timing_at < len(block) else None
        if not found:
            problem = "timing" if count or "-->" in " ".join(block[:2]) else "not_captions"
            raise CaptionsInvalid(problem, line=block_start + timing_at + 1)
        start = _ms(*found.group(1, 2, 3, 4))
        end = _ms(*found.group(5, 6, 7, 8))
        if end < start:
            raise CaptionsInvalid("order", line=block_start + timing_at + 1)
        count += 1
        out.append(f"{timestamp(start)} --> {timestamp(end)}")
        out.extend(_srt_text(line) for line in block[timing_at + 1 :])
        out.append("")
    if not count:
        raise CaptionsInvalid("no_cues", line=len(lines))
    return "\n".join(out)


def to_vtt(text: str) -> str:
    """WebVTT text from what was uploaded or pasted: WebVTT is checked and kept as it is (its
    line endings made ``\\n``), SRT converted; raises ``CaptionsInvalid`` otherwise."""
    stripped = text.lstrip("\ufeff")
    if stripped.startswith("WEBVTT"):
        parse_vtt(stripped)
        return "\n".join(_lines(stripped)).strip() + "\n"
    vtt = srt_to_vtt(stripped)
    parse_vtt(vtt)
    return vtt


@dataclass(frozen=True)
class TranscriptLine:
    start: int  # milliseconds
    speaker: str
    text: str

    @property
    def at(self) -> str:
        return timestamp(self.start, vtt=False)


def transcript(vtt: str) -> list[TranscriptLine]:
    """The cues as lines of a transcript, each with its start: tags removed, empty cues left
    out, and a cue repeating the previous one's text (rolling captions) folded into it."""
    lines: list[TranscriptLine] = []
    for cue in parse_vtt(vtt):
        text = cue.plain
        if not text:
            continue
        if lines and text == lines[-1].text:
            continue
        lines.append(TranscriptLine(cue.start, cue.speaker, text))
    return lines
