"""The dashboard's "Webinars you registered for": each registration at its own session's
time, in the reader's zone, named when the webinar has a published repeat."""

import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.webinars.factories import (
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    RepeatSessionFactory,
)

pytestmark = pytest.mark.django_db

FIJI = ZoneInfo("Pacific/Fiji")


def section_of(response) -> str:
    page = response.content.decode()
    section = page.split('id="registrations-role"', 1)[1].split("</section>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_the_dashboard_shows_each_registrations_own_session_in_the_readers_zone(client):
    person = ReaderFactory(timezone="Pacific/Fiji")
    with_repeat = PublishedWebinarFactory(members_only=False)
    repeat = RepeatSessionFactory(
        webinar=with_repeat, starts_at=with_repeat.starts_at + timedelta(hours=10)
    )
    alone = PublishedWebinarFactory(
        members_only=False, starts_at=with_repeat.starts_at + timedelta(hours=5)
    )
    RegistrationFactory(webinar=with_repeat, user=person, repeat=repeat)
    RegistrationFactory(webinar=alone, user=person)
    client.force_login(person)

    text = section_of(client.get(reverse("core:dashboard")))

    def shown(moment) -> str:
        local = moment.astimezone(FIJI)
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M} (Pacific/Fiji, UTC+12:00)"

    assert f"{with_repeat.title} · Repeat session, {shown(repeat.starts_at)} ·" in text
    assert f"{alone.title} · {shown(alone.starts_at)} ·" in text  # one session: not named
    assert shown(with_repeat.starts_at) not in text  # not the first session's time
    # By their own session's start: the other webinar's (5 h after the first session) first.
    assert text.index(alone.title) < text.index(with_repeat.title)
