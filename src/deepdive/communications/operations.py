"""Changes of state in communications: the series' branding.

Every service takes keyword arguments, checks its actor, writes in one transaction and records
one audit entry (``actions.CommunicationsAction``). What cannot be saved raises
``BrandingInvalid`` whose ``errors`` are {form field: [messages]}.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from deepdive.accounts.models import User
from deepdive.core import changes
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused
from deepdive.series.branding import HEX
from deepdive.series.models import Series

from .actions import CommunicationsAction
from .models import DEFAULT_ACCENT, DEFAULT_PRIMARY, Branding

LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
MAX_LOGO_PIXELS = 4000  # a side longer than this is refused: the card shows it a few cm wide


class BrandingInvalid(Refused):
    """What was typed cannot be saved; ``errors`` is {form field: [messages]}."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(errors=errors)


def max_logo_bytes() -> int:
    return int(getattr(settings, "COMMUNICATIONS_LOGO_MAX_BYTES", 2 * 1024 * 1024))


def check_logo(upload: UploadedFile) -> tuple[str, str]:
    """(format, extension) of a logo read by its content: PNG or JPEG, at most
    ``COMMUNICATIONS_LOGO_MAX_BYTES`` and ``MAX_LOGO_PIXELS`` a side. Raises
    ``BrandingInvalid`` (field ``logo``) otherwise."""
    size = upload.size or 0
    limit = max_logo_bytes()
    if size > limit:
        raise BrandingInvalid(
            {
                "logo": [
                    _("This image is %(size)s MB; the limit is %(limit)s MB.")
                    % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
                ]
            }
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        kind, width, height = "", 0, 0
    if kind not in LOGO_FORMATS:
        raise BrandingInvalid({"logo": [_("Upload the logo as a PNG or JPEG image.")]})
    if max(width, height) > MAX_LOGO_PIXELS:
        raise BrandingInvalid(
            {
                "logo": [
                    _("This image is %(width)s × %(height)s pixels; the limit is %(limit)s a side.")
                    % {"width": width, "height": height, "limit": MAX_LOGO_PIXELS}
                ]
            }
        )
    return kind, LOGO_FORMATS[kind]


def save_branding(
    *,
    actor: User,
    series: Series,
    colour_primary: str,
    colour_accent: str,
    layout: str,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Branding:
    """Save the series' branding (created on first save). A change raises its ``version``, so
    every card is drawn again with it on its next request.

    Refused: not the secretariat (PermissionDenied); a colour that is not #rrggbb, an unknown
    layout, a logo that is not a PNG or JPEG image or too large (``BrandingInvalid``, fields
    ``colour_primary``, ``colour_accent``, ``layout``, ``logo``).

    Side effects: the ``Branding`` row and the logo's file in storage (the old file is left:
    cards drawn with it may still be served); one audit entry
    ("communications.branding_saved") when something changed.
    """
    require_secretariat(actor)
    errors: dict[str | None, list[str]] = {}
    for name, value in (("colour_primary", colour_primary), ("colour_accent", colour_accent)):
        if not HEX.match(value or ""):
            errors[name] = [_("Give a colour as # and six hex digits.")]
    if layout not in Branding.Layout.values:
        errors["layout"] = [_("Choose a layout from the list.")]
    extension = ""
    if logo is not None:
        try:
            _kind, extension = check_logo(logo)
        except BrandingInvalid as refused:
            errors.update(refused.errors)
    if errors:
        raise BrandingInvalid(errors)
    with transaction.atomic():
        branding, _created = Branding.objects.get_or_create(
            series=series,
            defaults={
                "colour_primary": series.colour_primary or DEFAULT_PRIMARY,
                "colour_accent": series.colour_accent or DEFAULT_ACCENT,
                "version": 0,
            },
        )
        branding = changes.locked(Branding, pk=branding.pk)
        values: dict[str, object] = {
            "colour_primary": colour_primary.lower(),
            "colour_accent": colour_accent.lower(),
            "layout": layout,
        }
        if logo is not None:
            stem = PurePath(logo.name or "logo").stem[:40] or "logo"
            logo.seek(0)
            values["logo"] = default_storage_save(
                f"branding/{series.slug}-{stem}.{extension}", logo
            )
        elif remove_logo and branding.logo:
            values["logo"] = ""
        changed = changes.update(
            branding,
            actor=actor,
            action=CommunicationsAction.BRANDING_SAVED,
            summary=f"Branding of “{series.title}” saved",
            **values,
        )
        if changed:
            branding.version += 1
            branding.save(update_fields=["version"])
    return branding


def default_storage_save(name: str, upload: UploadedFile) -> str:
    """Store the upload under ``name`` (or a free name near it) and give back the name."""
    return default_storage.save(name, ContentFile(upload.read()))
