"""Recognising a recording's address: a YouTube, Vimeo or PeerTube video page, or a video
file's address (.mp4 or .webm over https). Gives the provider, the provider's id of the video,
the page address to link to (the player's fallback without JavaScript) and the address to embed
once the reader asks for the player.

YouTube is embedded through ``www.youtube-nocookie.com`` (its privacy-enhanced domain) and
Vimeo with ``dnt=1``: neither sets tracking cookies until the video plays. Pure Python: no
request is made to the provider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE = "youtube"
VIMEO = "vimeo"
PEERTUBE = "peertube"
FILE = "file"

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
YOUTUBE_EMBED = "https://www.youtube-nocookie.com"
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_EMBED = "https://player.vimeo.com"
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{3,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
# PeerTube's short ids (base58, 22 characters) and UUIDs.
PEERTUBE_ID = re.compile(
    r"^([1-9A-HJ-NP-Za-km-z]{22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
FILE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}

# Why an address is not a video (the service says it in the reader's language).
NOT_AN_ADDRESS = "not_an_address"
NOT_HTTPS = "not_https"
NOT_A_VIDEO = "not_a_video"


class NotAVideo(ValueError):
    """The address is not one of a video page or file; ``reason`` is one of the codes above."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Video:
    provider: str  # Recording.Provider's values
    video_id: str  # empty for a file
    url: str  # the page (or file) address, as it is stored and linked to
    embed_url: str  # the iframe's address; the file's own for a file
    origin: str  # where the player loads from (https://host), for the page's policy

    @property
    def is_file(self) -> bool:
        return self.provider == FILE

    @property
    def file_type(self) -> str:
        """The file's MIME type (``<source type>``), empty for a video page."""
        for suffix, kind in FILE_TYPES.items():
            if urlsplit(self.url).path.lower().endswith(suffix):
                return kind
        return ""


def _youtube(host: str, path: str, query: str) -> str | None:
    """The video id of a YouTube address, None when it is not one."""
    parts = [p for p in path.split("/") if p]
    if host == "youtu.be":
        return parts[0] if len(parts) == 1 else None
    if host not in YOUTUBE_HOSTS and host not in {
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }:
        return None
    if parts == ["watch"]:
        found = parse_qs(query).get("v", [])
        return found[0] if found else None
    if len(parts) == 2 and parts[0] in {"shorts", "embed", "live", "v"}:
        return parts[1]
    return None


def recognise(address: str) -> Video:
    """The video at ``address``; raises ``NotAVideo`` with the reason otherwise."""
    address = (address or "").strip()
    try:
        parts = urlsplit(address)
    except ValueError as exc:
        raise NotAVideo(NOT_AN_ADDRESS) from exc
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in {"http", "https"} or not host or " " in address:
        raise NotAVideo(NOT_AN_ADDRESS)
    path = parts.path

    video_id = _youtube(host, path, parts.query)
    if video_id is not None:
        if not YOUTUBE_ID.match(video_id):
            raise NotAVideo(NOT_A_VIDEO)
        return Video(
            YOUTUBE,
            video_id,
            f"https://www.youtube.com/watch?v={video_id}",
            f"{YOUTUBE_EMBED}/embed/{video_id}",
            YOUTUBE_EMBED,
        )

    if host in VIMEO_HOSTS:
        steps = [p for p in path.split("/") if p]
        if host == "player.vimeo.com" and len(steps) == 2 and steps[0] == "video":
            steps = steps[1:]
        elif len(steps) >= 3 and steps[0] in {"channels", "groups"}:
            steps = steps[-1:]  # channels/<name>/<id>, groups/<name>/videos/<id>
        secret = ""
        if len(steps) == 2 and VIMEO_HASH.match(steps[1]):  # an unlisted video's hash
            steps, secret = steps[:1], steps[1]
        secret = secret or parse_qs(parts.query).get("h", [""])[0]
        if len(steps) != 1 or not VIMEO_ID.match(steps[0]):
            raise NotAVideo(NOT_A_VIDEO)
        number = steps[0]
        page = f"https://vimeo.com/{number}" + (f"/{secret}" if secret else "")
        embed = f"{VIMEO_EMBED}/video/{number}?dnt=1" + (f"&h={secret}" if secret else "")
        return Video(VIMEO, number, page, embed, VIMEO_EMBED)

    # PeerTube runs on many hosts: recognised by its addresses' shape, over https only.
    steps = [p for p in path.split("/") if p]
    peertube_id = None
    if len(steps) == 2 and steps[0] == "w":
        peertube_id = steps[1]
    elif len(steps) == 3 and steps[0] == "videos" and steps[1] in {"watch", "embed"}:
        peertube_id = steps[2]
    if peertube_id is not None:
        if not PEERTUBE_ID.match(peertube_id):
            raise NotAVideo(NOT_A_VIDEO)
        if scheme != "https":
            raise NotAVideo(NOT_HTTPS)
        origin = f"https://{parts.netloc.lower()}"
        return Video(
            PEERTUBE,
            peertube_id,
            f"{origin}/w/{peertube_id}",
            f"{origin}/videos/embed/{peertube_id}",
            origin,
        )

    if any(path.lower().endswith(suffix) for suffix in FILE_TYPES):
        if scheme != "https":
            raise NotAVideo(NOT_HTTPS)
        return Video(FILE, "", address, address, f"https://{parts.netloc.lower()}")
    raise NotAVideo(NOT_A_VIDEO)
