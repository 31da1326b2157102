"""A webinar becomes held once its end has passed (the scheduler's job)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deepdive.core import audit
from deepdive.webinars import preparation
from deepdive.webinars.models import Webinar
from tests.timetable.conftest import make_webinar
from tests.webinars.factories import CallFactory


def _published(call, *, start, state=Webinar.State.PREPARING):
    webinar = make_webinar(call)
    Webinar.objects.filter(pk=webinar.pk).update(
        starts_at=start, planned_start=start, published_at=start - timedelta(days=30), state=state
    )
    webinar.refresh_from_db()
    return webinar


@pytest.mark.django_db
def test_a_webinar_is_held_once_it_has_ended_and_not_before():
    call = CallFactory()
    now = timezone.now()
    ended = _published(call, start=now - timedelta(hours=2), state=Webinar.State.READY)
    on_air = _published(call, start=now - timedelta(minutes=10))
    cancelled = _published(call, start=now - timedelta(days=3), state=Webinar.State.CANCELLED)
    coming = _published(call, start=now + timedelta(days=3))

    assert preparation.mark_held(now=now) == 1
    assert preparation.mark_held(now=now) == 0  # a rerun changes nothing

    states = dict(Webinar.objects.values_list("pk", "state"))
    assert states[ended.pk] == Webinar.State.HELD
    assert states[on_air.pk] == Webinar.State.PREPARING
    assert states[cancelled.pk] == Webinar.State.CANCELLED
    assert states[coming.pk] == Webinar.State.PREPARING
    entry = audit.history(ended).get()
    assert entry.action == "webinars.held" and entry.changes["state"] == ["ready", "held"]
