"""The public API on the demo: every endpoint of its schema walked (every page of every list,
with each choice of its filters, and every series and webinar it lists), each answer valid
against the schema, and no answer carrying any e-mail address or joining detail the demo's
records hold (accounts, registrations, attendance, proposals' contacts and speakers,
co-submitters' invited contacts, reviewers, the outbox; webinars' joining links and dial-in
numbers)."""

import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals.models import CoSubmitter, Proposal
from deepdive.proposals.models import Speaker as ProposedSpeaker
from deepdive.reviews.models import Reviewer
from deepdive.webinars.models import Attendance, Registration, Webinar

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PAGE_SIZE = 5  # small, so that the walk follows the pages of every longer list
# The walk makes more requests than one client may make in a minute.
UNTHROTTLED = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "10000/min"}}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module in a transaction undone at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(password="demo-pass-123")
        yield
        transaction.set_rollback(True)


def walk(client, openapi) -> list[tuple[str, str, object, str]]:
    """Every answer of the API: (path in the schema, address, answer, body as sent)."""
    answers: list[tuple[str, str, object, str]] = []
    values: dict[str, set[str]] = {"slug": set(), "id": set()}

    def get(path: str, url: str, params: dict) -> None:
        while url:
            response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200, (url, params, response.content[:300])
            body = response.content.decode()
            answer = response.json()
            answers.append((path, f"{url}?{urlencode(params)}", answer, body))
            rows = answer.get("results", []) if isinstance(answer, dict) else answer
            if path == "/api/series/":
                values["slug"].update(row["slug"] for row in rows)
            if path == "/api/webinars/":
                values["id"].update(str(row["id"]) for row in rows)
            following = answer.get("next") if isinstance(answer, dict) else None
            if following:
                parts = urlsplit(following)  # the next page's own address and query
                url, params = parts.path, dict(parse_qsl(parts.query))
            else:
                url = ""

    def queries(operation: dict) -> list[dict]:
        """The plain list, then each choice of each of its filters that has choices."""
        found = [{}]
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] not in ("page", "page_size"):
                found += [{parameter["name"]: v} for v in parameter["schema"].get("enum", [])]
        return found

    paths = openapi["paths"]
    # The lists without a parameter first: they give the series and webinars to open.
    order = sorted(paths, key=lambda p: ("{" in p, p))
    for path in order:
        operation = paths[path]["get"]
        names = re.findall(r"{(\w+)}", path)
        if not names:
            addresses = [path]
        else:
            (name,) = names
            assert values[name], f"nothing listed to open {path} with"
            addresses = [path.replace(f"{{{name}}}", value) for value in sorted(values[name])]
        for url in addresses:
            for query in queries(operation):
                get(path, url, {**query, "page_size": PAGE_SIZE})
    return answers


@pytest.mark.django_db
@override_settings(REST_FRAMEWORK=UNTHROTTLED)
def test_every_answer_on_the_demo_matches_the_schema(demo, client, openapi, check_schema):
    answers = walk(client, openapi)
    assert {path for path, *_rest in answers} == set(openapi["paths"])
    # Every published webinar was opened, and the walk went past a first page.
    published = Webinar.objects.filter(published_at__isnull=False).count()
    assert len([a for a in answers if a[0] == "/api/webinars/{id}/"]) >= published > 0
    assert any("page=2" in url for _path, url, _answer, _body in answers)
    for path, _url, answer, _body in answers:
        check_schema(path, answer)


@pytest.mark.django_db
@override_settings(REST_FRAMEWORK=UNTHROTTLED)
def test_no_answer_on_the_demo_carries_an_email_address_or_a_joining_detail(demo, client, openapi):
    emails = set()
    for model, field in (
        (User, "email"),
        (Registration, "email"),
        (Attendance, "email"),
        (Proposal, "contact_email"),
        (ProposedSpeaker, "email"),
        (CoSubmitter, "contact_invited_email"),
        (Reviewer, "email"),
        (OutboxMessage, "to_email"),
    ):
        emails |= {e.lower() for e in model.objects.values_list(field, flat=True) if e}
    joining = set()
    for url, dial_in in Webinar.objects.values_list("joining_url", "dial_in"):
        joining |= {url} if url else set()
        joining |= {line.strip() for line in dial_in.splitlines() if line.strip()}
    assert len(emails) > 40 and len(joining) > 5

    answers = walk(client, openapi)
    for _path, url, answer, body in answers:
        text = (body + json.dumps(answer, ensure_ascii=False)).lower()
        assert EMAIL.findall(text) == [], url
        for address in emails:
            assert address not in text, (url, address)
        for detail in joining:
            assert detail.lower() not in text, (url, detail)
