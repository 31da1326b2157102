"""Counting what readers do with a webinar's published recordings and materials: the plays
started on the library's player (or through its link) and the materials' downloads, per
object per day (UTC). The insight app's engagement report reads them.

A counter holds no personal data: no user, no address, no time finer than the day, so a count
can never be tied to a person. Two requests at the same moment both count: the row of the day
is raised with ``count = count + 1`` in the database (never read, added to and written back),
and when two requests create the day's row together the unique (object, day) constraint lets
one in and the other adds to it.

No audit entry is recorded: the audit log says who changed what on the platform, and a reader
starting a video changes nothing anyone decided; an entry per play would also put the readers'
doings in a log the counters are designed not to keep.
"""

from __future__ import annotations

from datetime import UTC, date

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from .models import Material, MaterialDownloads, Recording, RecordingPlays


def today() -> date:
    """The day a count falls on: the UTC date, whatever the server's zone."""
    return timezone.now().astimezone(UTC).date()


def _count(model: type[models.Model], **key: object) -> None:
    """Add one to the row of ``key`` (its object and day), creating it at 1 if needed."""
    rows = model._default_manager  # the two counter models' plain manager
    with transaction.atomic():
        if rows.filter(**key).update(count=F("count") + 1):
            return
        try:
            # A savepoint: if another request created the row meanwhile, only this insert is
            # undone and the row it made is raised instead.
            with transaction.atomic():
                rows.create(count=1, **key)
        except IntegrityError:
            rows.filter(**key).update(count=F("count") + 1)


def count_play(*, recording: Recording) -> None:
    """Count one play of ``recording`` today. The caller checked that the reader may see it
    (a published recording of a webinar the reader may see). Side effect: the day's
    ``RecordingPlays`` row raised by one."""
    _count(RecordingPlays, recording=recording, day=today())


def count_download(*, material: Material) -> None:
    """Count one download of ``material`` today. The caller checked that the reader may
    download it. Side effect: the day's ``MaterialDownloads`` row raised by one."""
    _count(MaterialDownloads, material=material, day=today())
