"""Captions: WebVTT checked (the line of the first problem), SRT converted, the transcript
made of the cues."""

import pytest

from deepdive.webinars.interfaces.captions import (
    CaptionsInvalid,
    decode,
    parse_vtt,
    srt_to_vtt,
    to_vtt,
    transcript,
)

VTT = """WEBVTT - Cocoa webinar
Kind: captions

NOTE recorded on 10 March

intro
00:00:01.000 --> 00:00:04.500 line:90%
<v Aïssata Koné>Welcome to the webinar.

00:04.500 --> 00:00:08.000
On child labour &amp; cocoa.

01:02:03.250 --> 01:02:05.000
Thank you.
"""

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello & <i>welcome</i> <font color="red">all</font>

2
00:00:03,000 --> 00:00:05,000
Second line
of text
"""


def test_valid_vtt_cues():
    cues = parse_vtt(VTT)
    assert [(c.start, c.end) for c in cues] == [(1000, 4500), (4500, 8000), (3723250, 3725000)]
    assert cues[0].speaker == "Aïssata Koné"
    assert cues[1].plain == "On child labour & cocoa."


def test_vtt_with_windows_line_endings_and_bom_is_kept_as_it_is():
    text = "\ufeff" + VTT.replace("\n", "\r\n")
    assert to_vtt(text) == VTT


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("", "empty", 1),
        ("WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nHi\n", "signature", 1),
        ("WEBVTT\n\n00:00:01,000 --> 00:00:02.000\nHi\n", "timing", 3),
        ("WEBVTT\n\nfirst\n00:00:01.000 -> 00:00:02.000\nHi\n", "timing", 4),
        ("WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nHi\n", "timing", 3),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHi\n", "order", 3),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi --> there\n", "arrow", 4),
        ("WEBVTT\n\nNOTE only a comment\n", "no_cues", 4),
        ("WEBVTT\n\njust some words\n", "timing", 3),
    ],
)
def test_invalid_vtt_names_the_line(text, problem, line):
    with pytest.raises(CaptionsInvalid) as refused:
        parse_vtt(text)
    assert (refused.value.problem, refused.value.line) == (problem, line)


def test_srt_converted_to_vtt():
    assert srt_to_vtt(SRT) == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.500\n"
        "Hello &amp; <i>welcome</i> all\n\n"
        "00:00:03.000 --> 00:00:05.000\n"
        "Second line\nof text\n"
    )
    assert len(parse_vtt(to_vtt(SRT))) == 2


def test_srt_with_a_bad_timing_names_its_line():
    broken = SRT.replace("00:00:03,000 --> 00:00:05,000", "00:00:03,000 --> soon")
    with pytest.raises(CaptionsInvalid) as refused:
        to_vtt(broken)
    assert (refused.value.problem, refused.value.line) == ("timing", 6)


def test_text_that_is_not_captions():
    with pytest.raises(CaptionsInvalid) as refused:
        to_vtt("Dear hosts,\nhere are the slides.\n")
    assert refused.value.problem == "not_captions"


def test_decode_utf16_and_refuse_other_bytes():
    assert decode(SRT.encode("utf-16")) == SRT
    assert decode(b"\xef\xbb\xbf" + SRT.encode()) == SRT
    with pytest.raises(CaptionsInvalid) as refused:
        decode("café".encode("latin-1"))
    assert refused.value.problem == "encoding"


def test_transcript_lines_with_times_and_rolling_repeats_folded():
    lines = transcript(VTT + "\n01:02:05.000 --> 01:02:06.000\nThank you.\n")
    assert [(line.at, line.speaker, line.text) for line in lines] == [
        ("0:01", "Aïssata Koné", "Welcome to the webinar."),
        ("0:04", "", "On child labour & cocoa."),
        ("1:02:03", "", "Thank you."),
    ]
