"""A small demo-like programme for the API's tests: a series with a past and an open call,
published webinars (one with a repeat session, one cancelled, one members-only), one not
published, registrations and attendance with e-mail addresses, speakers with e-mail
addresses, a joining link on every webinar, recordings (published or not) with captions,
and materials of every visibility."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import jsonschema
import pytest
from django.utils import timezone

from deepdive.api import docs
from deepdive.reference.models import Output
from deepdive.webinars.models import (
    Attendance,
    Captions,
    Material,
    Recording,
    Registration,
    Webinar,
)
from deepdive.webinars.models import Speaker as WorkspaceSpeaker
from tests.webinars.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    RegistrationFactory,
    RepeatSessionFactory,
    SeriesFactory,
    SpeakerFactory,
    WebinarFactory,
    paris,
    rules_for,
)

YEAR = timezone.now().year + 1


@dataclass
class Programme:
    series: Any
    past_call: Any
    open_call: Any
    cocoa: Webinar
    fisheries: Webinar
    cancelled: Webinar
    members: Webinar
    hidden: Webinar
    emails: list[str] = field(default_factory=list)
    joining_links: list[str] = field(default_factory=list)


@pytest.fixture
def programme(reference_data) -> Programme:
    now = timezone.now()
    series = SeriesFactory(slug="supply-chains", title="Virtual deep dives")
    past_call = CallFactory(
        series=series,
        slug="first-call",
        opens_at=now - timedelta(days=200),
        closes_at=now - timedelta(days=100),
    )
    open_call = CallFactory(
        series=series,
        slug="second-call",
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=20),
        timezone="America/Mexico_City",
    )
    rules_for(past_call, "Europe/Paris")
    cocoa = PublishedWebinarFactory(
        proposal=ProposalFactory(
            call=past_call,
            title="Child labour in West African cocoa",
            themes=["child_labour"],
            outcomes=[1],
            countries=["GH"],
            language="en",
            interpretation=["fr"],
            lead_organisation=OrganisationFactory(name="Cocoa Workers' Union"),
        ),
        starts_at=paris(YEAR, 1, 12, 14, 0),
        planned_start=paris(YEAR, 1, 12, 14, 0),
    )
    CoSubmitterFactory(
        proposal=cocoa.proposal, organisation=OrganisationFactory(name="Fair Cocoa Network")
    )
    RepeatSessionFactory(webinar=cocoa)
    # The host linked the webinar to the first Output of its Outcome; so did the hidden one.
    first_output = Output.objects.filter(
        outcome__action_group=series.action_group, outcome__number=1
    ).order_by("number")[0]
    cocoa.outputs.add(first_output)
    fisheries = PublishedWebinarFactory(
        proposal=ProposalFactory(
            call=past_call,
            title="Forced labour at sea",
            themes=["forced_labour"],
            outcomes=[2],
            language="es",
        ),
        starts_at=paris(YEAR, 2, 9, 10, 0),
        planned_start=paris(YEAR, 2, 9, 10, 0),
        descriptions={"en": "Fishing fleets and their crews."},
    )
    cancelled = PublishedWebinarFactory(
        proposal=ProposalFactory(call=past_call, title="Cancelled webinar", language="fr"),
        starts_at=paris(YEAR, 3, 2, 10, 0),
        planned_start=paris(YEAR, 3, 2, 10, 0),
        state=Webinar.State.CANCELLED,
        cancelled_at=now,
    )
    members = PublishedWebinarFactory(
        proposal=ProposalFactory(call=past_call, title="Members' briefing"),
        members_only=True,
        starts_at=now - timedelta(days=30),
        planned_start=now - timedelta(days=30),
        state=Webinar.State.HELD,
    )
    hidden = WebinarFactory(
        proposal=ProposalFactory(call=past_call, title="Not yet published"),
        planned_start=paris(YEAR, 4, 1, 10, 0),
    )
    hidden.outputs.add(first_output)
    emails: list[str] = []
    for webinar in (cocoa, fisheries, members, hidden):
        for n in range(2):
            registration = RegistrationFactory(
                webinar=webinar,
                name=f"Registrant {webinar.pk}-{n}",
                email=f"registrant{webinar.pk}.{n}@example.org",
                sex=Registration.Sex.choices[0][0],
                status=Registration.Status.REGISTERED,
            )
            emails += [registration.email, registration.user.email]
        Attendance.objects.create(
            webinar=webinar,
            name="Attendee by e-mail",
            email=f"attendee{webinar.pk}@example.net",
            minutes=50,
            imported_at=now,
        )
        emails.append(f"attendee{webinar.pk}@example.net")
        emails.append(webinar.proposal.contact_email)
    # The proposal's speakers are public on the page (name, role, organisation); their
    # e-mail addresses never are.
    for webinar in (cocoa, fisheries):
        speaker = SpeakerFactory(
            proposal=webinar.proposal, name="Ama Mensah", email="ama@example.com"
        )
        emails.append(speaker.email)
    # A workspace speaker who did not agree to be listed: not on the page, not in the API.
    WorkspaceSpeaker.objects.create(
        webinar=members, name="Hidden Person", consents_to_listing=False, position=0
    )
    recording = Recording.objects.create(
        webinar=members,
        url="https://www.youtube.com/watch?v=abcdefghijk",
        provider="youtube",
        video_id="abcdefghijk",
        language="en",
        published_at=now,
    )
    Captions.objects.create(recording=recording, language="en", vtt="WEBVTT\n\n")
    Recording.objects.create(
        webinar=members,
        url="https://www.youtube.com/watch?v=unpublished1",
        provider="youtube",
        video_id="unpublished1",
        language="fr",
    )
    for visibility in Material.Visibility.values:
        Material.objects.create(
            webinar=members,
            title=f"Slides for {visibility}",
            content_type="application/pdf",
            size=2048,
            visibility=visibility,
        )
    Material.objects.create(
        webinar=hidden,
        title="Slides of an unpublished webinar",
        content_type="application/pdf",
        size=2048,
        visibility=Material.Visibility.PUBLIC,
    )
    webinars = (cocoa, fisheries, cancelled, members, hidden)
    return Programme(
        series=series,
        past_call=past_call,
        open_call=open_call,
        cocoa=cocoa,
        fisheries=fisheries,
        cancelled=cancelled,
        members=members,
        hidden=hidden,
        emails=emails,
        joining_links=[webinar.joining_url for webinar in webinars],
    )


def _json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` becomes a null alternative."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    return docs.schema()


@pytest.fixture
def check_schema(openapi):
    """Validate a 200 answer of ``path`` (a path of the schema) against its schema."""
    components = _json_schema(openapi["components"])

    def check(path: str, answer: Any) -> None:
        operation = openapi["paths"][path]["get"]
        expected = operation["responses"]["200"]["content"]["application/json"]["schema"]
        validator = jsonschema.Draft202012Validator(
            {**_json_schema(expected), "components": components}
        )
        errors = sorted(validator.iter_errors(answer), key=str)
        assert not errors, f"{path}: " + "; ".join(e.message for e in errors[:5])

    return check
