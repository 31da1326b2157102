"""Public call pages are kept for a few seconds for anonymous readers, never past a change of
status, never for signed-in readers, and never with one-time messages."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from deepdive.series.models import Call
from deepdive.series.queries import seconds_until_status_change
from tests.proposals.factories import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(reference_data):
    now = timezone.now()
    return CallFactory(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=3))


def test_anonymous_readers_share_a_short_lived_copy(client, call):
    url = call.get_absolute_url()
    first = client.get(url).content.decode()
    Call.objects.filter(pk=call.pk).update(title="A changed title")
    assert client.get(url).content.decode() == first  # the kept copy
    client.cookies["deepdive_tz"] = "Asia/Kathmandu"
    assert "A changed title" in client.get(url).content.decode()  # another reader's view


def test_public_pages_carry_no_csrf_token_for_anonymous_readers(client, call):
    page = client.get(call.get_absolute_url())
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "csrftoken" not in page.cookies


def test_signed_in_readers_always_get_a_fresh_page(client, call, django_user_model):
    user = django_user_model.objects.create_user(email="r@example.net", password="x-pass-1234")
    client.force_login(user)
    client.get(call.get_absolute_url())
    Call.objects.filter(pk=call.pk).update(title="Fresh for members")
    assert "Fresh for members" in client.get(call.get_absolute_url()).content.decode()


def test_never_kept_across_the_deadline(call):
    now = call.closes_at - timedelta(seconds=5)
    assert seconds_until_status_change(call, now=now, cap=30) == 5
    assert seconds_until_status_change(call, now=call.closes_at, cap=30) == 30
    early = call.opens_at - timedelta(seconds=2)
    assert seconds_until_status_change(call, now=early, cap=30) == 2


def test_a_page_with_a_message_is_not_kept(client, call, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import constants
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from deepdive.core.pagecache import anonymous_page

    request = rf.get("/x/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(constants.INFO, "Signed out.")
    calls = []

    def render():
        calls.append(1)
        return HttpResponse(str(len(list(get_messages(request)))))

    anonymous_page(request, key="x", seconds=30, render=render)
    plain = rf.get("/x/")
    plain.user, plain.session = AnonymousUser(), SessionStore()
    plain._messages = FallbackStorage(plain)
    anonymous_page(plain, key="x", seconds=30, render=render)
    assert len(calls) == 2
