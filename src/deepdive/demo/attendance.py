"""The attendance reports of the pilot's held webinars, as Zoom, Microsoft Teams and Webex
export them, written by ``deepdive demo`` under the var folder (``DEEPDIVE_VAR``) for the
secretariat to import on the webinar's attendance page. They are made from each webinar's own
registrations (``webinars.attendance.samples``); the demo does not import them."""

from pathlib import Path

from django.utils.text import slugify

from deepdive.webinars.attendance import readers, samples
from deepdive.webinars.models import Webinar

from .selected import PILOT_SLUG
from .workspaces import PILOT_WORKSPACES

FOLDER = "demo-attendance"
# One layout per pilot webinar, in the order of PILOT_WORKSPACES (their platforms).
LAYOUTS = ((readers.ZOOM_MEETING, "zoom"), (readers.TEAMS, "teams"), (readers.WEBEX, "webex"))


def file_name(platform: str, title: str) -> str:
    """``<platform>-<the webinar's title>.csv``, the title cut at a whole word."""
    slug = slugify(title)
    if len(slug) > 60:
        slug = slug[:61].rsplit("-", 1)[0]
    return f"{platform}-{slug}.csv"


def write_attendance_samples(var: Path) -> list[Path]:
    """Write (again) ``var/demo-attendance/<platform>-<webinar>.csv`` for each pilot webinar
    found; return the files' paths. Nothing when the pilot is not loaded."""
    webinars = {
        w.title: w
        for w in Webinar.objects.filter(proposal__call__slug=PILOT_SLUG).select_related(
            "proposal__call__series", "proposal__lead_organisation"
        )
    }
    folder = var / FOLDER
    written = []
    for title, (kind, platform) in zip(PILOT_WORKSPACES, LAYOUTS, strict=True):
        webinar = webinars.get(title)
        if webinar is None or webinar.starts_at is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name(platform, title)
        path.write_bytes(samples.for_webinar(webinar, kind))
        written.append(path)
    return written
