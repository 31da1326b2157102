"""A rush at the deadline: 120 signed-in members submit their drafts, at moments spread around
the deadline, to two gunicorn web processes on a real database. Every submission that arrived
before the deadline is submitted exactly once, every later one is refused, nothing is
duplicated."""

import http.client
import secrets
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals import operations
from deepdive.proposals.models import Proposal
from deepdive.reference.models import ActionGroup
from deepdive.series.models import Call, Series
from tests.proposals.conftest import complete_data, form_data, make_contact, make_organisation

from .conftest import BIN, free_port, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

MEMBERS = 120
SPREAD = (-4.0, 2.0)  # seconds around the deadline over which the submissions are sent
TIMEOUT = 30  # of every HTTP request


def sign_in(user) -> str:
    """A session for ``user`` in the database, as logging in makes one: its cookie value."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Member:
    """One browser: its cookies, the proposal form it loaded, and what came of its submit."""

    def __init__(self, port: int, session_key: str, proposal: Proposal, organisation):
        self.port = port
        # The CSRF cookie a browser got with the form, and the token the form sends back
        # (Django accepts its secret unmasked): loading 120 forms would only slow the test.
        self.csrf = secrets.token_hex(16)
        self.version = str(proposal.version)
        self.cookies = {"sessionid": session_key, "csrftoken": self.csrf}
        self.form = form_data(  # what the member's form posts (read here, not in the threads)
            proposal,
            organisation,
            contact_name=proposal.contact_name,
            contact_email=proposal.contact_email,
            version=self.version,
            csrfmiddlewaretoken=self.csrf,
        )
        self.proposal = proposal
        self.organisation = organisation
        self.status: int | None = None
        self.location = ""
        self.arrived_at: datetime | None = None
        self.process = ""
        self.error: BaseException | None = None

    def request(self, method: str, path: str, body: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            data = None
            if body is not None:
                data = urlencode(body, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response, content
        finally:
            conn.close()

    def open_form(self) -> None:
        response, page = self.request("GET", edit_url(self.proposal))
        assert response.status == 200, page[:500]
        assert f'name="version" value="{self.version}"' in page

    def submit_at(self, moment: float) -> None:
        """Send the form at ``moment`` (time.time()), as the member clicking "Submit"."""
        try:
            time.sleep(max(moment - time.time(), 0))
            response, _ = self.request("POST", edit_url(self.proposal), self.form)
            self.status = response.status
            self.location = response.headers.get("Location", "")
            self.arrived_at = datetime.fromisoformat(response.headers["X-Test-Arrived-At"])
            self.process = response.headers["X-Test-Process"]
        except BaseException as exc:  # kept for the assertion, with the member
            self.error = exc


def edit_url(proposal: Proposal) -> str:
    return reverse("proposals:edit", kwargs={"pk": proposal.pk})


def make_members(port: int, call: Call, group) -> list[Member]:
    """Verified contacts of member organisations, each with a complete draft, signed in."""
    members = []
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for n in range(MEMBERS):
            organisation = make_organisation(f"Union {n}", group)
            user = make_contact(organisation, email=f"member{n}@union{n}.example")
            data = complete_data(
                organisation, contact_name=user.name, contact_email=user.email, title=f"Rush {n}"
            )
            proposal = operations.create_draft(actor=user, call=call, data=data).proposal
            members.append(Member(port, sign_in(user), proposal, organisation))
    return members


def test_a_deadline_rush_on_two_web_processes(environment, processes):
    started = time.monotonic()
    group = ActionGroup.objects.get(code="supply_chains")
    series = Series.objects.create(action_group=group, slug="rush", title="Rush", languages=["en"])
    now = timezone.now()
    call = Call.objects.create(
        series=series,
        slug="rush",
        title="Call at rush hour",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=1),
        timezone="UTC",
        word_limit=250,
    )
    port = free_port()
    members = make_members(port, call, group)

    server = processes.start(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "16",
            "--timeout",
            "60",
            "deepdive.wsgi:application",
        ],
        {**environment, "DJANGO_SETTINGS_MODULE": "tests.reliability.server_settings"},
    )

    def serving() -> bool:
        assert server.poll() is None, processes.log(server)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    wait_for(serving, timeout=30, what="gunicorn")
    with ThreadPoolExecutor(max_workers=8) as pool:  # a few open the form: warm processes
        list(pool.map(Member.open_form, members[:16]))

    # The deadline: a few seconds ahead; the submits are sent from 2 s before to 1 s after.
    deadline = timezone.now() + timedelta(seconds=5)
    Call.objects.filter(pk=call.pk).update(closes_at=deadline)
    first, last = (deadline.timestamp() + s for s in SPREAD)
    moments = [first + (last - first) * i / (MEMBERS - 1) for i in range(MEMBERS)]
    threads = [
        threading.Thread(target=member.submit_at, args=(moment,))
        for member, moment in zip(members, moments, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 10)
    assert not any(thread.is_alive() for thread in threads)

    assert [m.error for m in members if m.error] == []
    on_time = [m for m in members if m.arrived_at < deadline]
    late = [m for m in members if m.arrived_at >= deadline]
    assert len(on_time) >= 20 and len(late) >= 10  # the rush straddled the deadline
    assert len({m.process for m in members}) == 2  # both web processes served

    # What each member saw: on time, the proposal page; late, the closed call (409).
    assert {(m.status, m.location) for m in on_time} == {
        (302, reverse("proposals:view", kwargs={"pk": m.proposal.pk})) for m in on_time
    }
    assert {m.status for m in late} == {409}

    # What the database says: submitted exactly once if on time, untouched if late.
    proposals = {p.pk: p for p in Proposal.objects.filter(call=call)}
    assert len(proposals) == MEMBERS  # no proposal duplicated
    submitted = {pk for pk, p in proposals.items() if p.status == "submitted"}
    assert submitted == {m.proposal.pk for m in on_time}
    assert all(proposals[pk].submitted_at < deadline for pk in submitted)  # none accepted late
    assert all(
        (proposals[m.proposal.pk].status, proposals[m.proposal.pk].version) == ("draft", 1)
        for m in late
    )
    submits = AuditEntry.objects.filter(action="proposals.submit")
    assert sorted(int(pk) for pk in submits.values_list("object_id", flat=True)) == sorted(
        submitted
    )
    confirmations = OutboxMessage.objects.filter(kind="proposals.confirmation")
    assert sorted(confirmations.values_list("to_email", flat=True)) == sorted(
        m.proposal.contact_email for m in on_time
    )
    assert time.monotonic() - started < 90
