"""The secretariat's table of a call's proposals: permissions, filters, search, sort, counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.proposals.models import CoSubmitter, Proposal

from .factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    SpeakerFactory,
    UserFactory,
    outcome,
    partner_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(is_secretariat=True))
    return client


@pytest.fixture
def call():
    return CallFactory()


def list_url(call, **params):
    from urllib.parse import urlencode

    url = reverse("proposals:manage_list", kwargs={"call_id": call.pk})
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def titles(response) -> list[str]:
    return [p.title for p in response.context["rows"]]


# Permissions


def test_anonymous_is_sent_to_log_in(client, call):
    for url in (
        list_url(call),
        reverse("proposals:manage_export", kwargs={"call_id": call.pk}),
        reverse("proposals:manage_detail", kwargs={"pk": ProposalFactory(call=call).pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_members_are_refused(client, call):
    client.force_login(UserFactory())
    proposal = ProposalFactory(call=call)
    assert client.get(list_url(call)).status_code == 403
    export = reverse("proposals:manage_export", kwargs={"call_id": call.pk})
    assert client.get(export).status_code == 403
    detail = reverse("proposals:manage_detail", kwargs={"pk": proposal.pk})
    assert client.get(detail).status_code == 403


def test_unknown_call_or_proposal_is_404(secretariat_client):
    assert secretariat_client.get("/manage/calls/999999/proposals/").status_code == 404
    assert secretariat_client.get("/manage/calls/999999/proposals/export/").status_code == 404
    assert secretariat_client.get("/manage/proposals/999999/").status_code == 404


def test_only_the_calls_proposals_are_listed(secretariat_client, call):
    ProposalFactory(call=call, title="Mine")
    ProposalFactory(title="Another call's")
    assert titles(secretariat_client.get(list_url(call))) == ["Mine"]


# Filters


def test_status_filter_and_drafts_marked(secretariat_client, call):
    ProposalFactory(call=call, title="Sent", status=Proposal.Status.SUBMITTED)
    ProposalFactory(call=call, title="Draft one", status=Proposal.Status.DRAFT)
    ProposalFactory(call=call, title="Gone", status=Proposal.Status.WITHDRAWN)
    response = secretariat_client.get(list_url(call))
    assert sorted(titles(response)) == ["Draft one", "Gone", "Sent"]
    assert re.search(r'badge[^"]*">draft</span>', response.content.decode())
    response = secretariat_client.get(list_url(call, status=["submitted", "withdrawn"]))
    assert sorted(titles(response)) == ["Gone", "Sent"]
    assert titles(secretariat_client.get(list_url(call, status="draft"))) == ["Draft one"]


def test_outcome_theme_and_sector_filters(secretariat_client, call):
    ProposalFactory(call=call, title="A", outcomes=[1], themes=["child_labour"], sectors=["mining"])
    ProposalFactory(call=call, title="B", outcomes=[2], themes=["forced_labour"], sectors=["cocoa"])
    ProposalFactory(
        call=call,
        title="C",
        outcomes=[1, 2],
        themes=["child_labour", "forced_labour"],
        sectors=["cocoa"],
    )
    get = secretariat_client.get
    assert sorted(titles(get(list_url(call, outcome=outcome(1).pk)))) == ["A", "C"]
    assert sorted(titles(get(list_url(call, theme="forced_labour")))) == ["B", "C"]
    # Several values of one filter: any of them; listed once even when both match.
    assert sorted(titles(get(list_url(call, theme=["child_labour", "forced_labour"])))) == [
        "A",
        "B",
        "C",
    ]
    assert sorted(titles(get(list_url(call, sector="cocoa")))) == ["B", "C"]
    # Different filters: all of them.
    assert titles(get(list_url(call, theme="child_labour", sector="cocoa"))) == ["C"]


def test_region_filter_uses_countries_of_action_or_lead_countries(secretariat_client, call):
    ProposalFactory(call=call, title="Action in Ghana", countries=["GH"])
    ProposalFactory(
        call=call,
        title="Lead in Peru",
        lead_organisation=OrganisationFactory(countries=["PE"]),
        countries=["FR"],
    )
    ProposalFactory(call=call, title="Nepal", countries=["NP"])
    get = secretariat_client.get
    assert titles(get(list_url(call, region="africa"))) == ["Action in Ghana"]
    assert titles(get(list_url(call, region="americas"))) == ["Lead in Peru"]
    assert titles(get(list_url(call, region="europe_central_asia"))) == ["Lead in Peru"]
    assert sorted(titles(get(list_url(call, region=["africa", "asia_pacific"])))) == [
        "Action in Ghana",
        "Nepal",
    ]


def test_pathfinder_and_joint_filters(secretariat_client, call):
    joint = ProposalFactory(call=call, title="Joint", includes_pathfinder=True)
    CoSubmitterFactory(proposal=joint, status=CoSubmitter.Status.CONFIRMED)
    pending = ProposalFactory(call=call, title="Pending partner")
    CoSubmitterFactory(proposal=pending, status=CoSubmitter.Status.PENDING)
    unlisted = ProposalFactory(call=call, title="Unlisted partner", includes_pathfinder=True)
    CoSubmitterFactory(
        proposal=unlisted,
        organisation=None,
        unlisted_name="Village group",
        status=CoSubmitter.Status.UNLISTED,
    )
    ProposalFactory(call=call, title="Alone")
    get = secretariat_client.get
    assert sorted(titles(get(list_url(call, pathfinder="yes")))) == ["Joint", "Unlisted partner"]
    assert sorted(titles(get(list_url(call, pathfinder="no")))) == ["Alone", "Pending partner"]
    assert titles(get(list_url(call, joint="yes"))) == ["Joint"]
    assert sorted(titles(get(list_url(call, joint="no")))) == [
        "Alone",
        "Pending partner",
        "Unlisted partner",
    ]
    assert titles(get(list_url(call, joint="yes", pathfinder="no"))) == []


def test_joint_counts_pending_when_the_call_asks_no_confirmation(secretariat_client):
    call = CallFactory(co_submitters_must_confirm=False)
    pending = ProposalFactory(call=call, title="Pending partner")
    CoSubmitterFactory(proposal=pending, status=CoSubmitter.Status.PENDING)
    assert titles(secretariat_client.get(list_url(call, joint="yes"))) == ["Pending partner"]


def test_partner_type_of_lead_or_confirmed_co_submitter(secretariat_client, call):
    union = partner_type("workers_organisation")
    business = partner_type("business")
    ProposalFactory(
        call=call, title="Union leads", lead_organisation=OrganisationFactory(partner_type=union)
    )
    with_union = ProposalFactory(call=call, title="Union confirmed")
    CoSubmitterFactory(proposal=with_union, organisation=OrganisationFactory(partner_type=union))
    declined = ProposalFactory(call=call, title="Union declined")
    CoSubmitterFactory(
        proposal=declined,
        organisation=OrganisationFactory(partner_type=union),
        status=CoSubmitter.Status.DECLINED,
    )
    ProposalFactory(
        call=call, title="Business", lead_organisation=OrganisationFactory(partner_type=business)
    )
    get = secretariat_client.get
    assert sorted(titles(get(list_url(call, type="workers_organisation")))) == [
        "Union confirmed",
        "Union leads",
    ]
    assert sorted(titles(get(list_url(call, type=["workers_organisation", "business"])))) == [
        "Business",
        "Union confirmed",
        "Union leads",
    ]


def test_search_over_texts_organisations_speakers_and_contact(secretariat_client, call):
    ProposalFactory(call=call, title="Cocoa remediation", description="Community monitoring")
    by_lead = ProposalFactory(
        call=call, title="Two", lead_organisation=OrganisationFactory(name="Harbour Union")
    )
    co = ProposalFactory(call=call, title="Three")
    CoSubmitterFactory(proposal=co, organisation=OrganisationFactory(acronym="FIWU"))
    unlisted = ProposalFactory(call=call, title="Four")
    CoSubmitterFactory(
        proposal=unlisted,
        organisation=None,
        unlisted_name="Lakeside Cooperative",
        status="unlisted",
    )
    SpeakerFactory(proposal=ProposalFactory(call=call, title="Five"), name="Amina Diallo")
    ProposalFactory(call=call, title="Six", contact_email="focal@tea.example.org")
    get = secretariat_client.get
    assert titles(get(list_url(call, q="COMMUNITY"))) == ["Cocoa remediation"]
    assert titles(get(list_url(call, q="harbour"))) == [by_lead.title]
    assert titles(get(list_url(call, q="fiwu"))) == ["Three"]
    assert titles(get(list_url(call, q="lakeside"))) == ["Four"]
    assert titles(get(list_url(call, q="diallo"))) == ["Five"]
    assert titles(get(list_url(call, q="tea.example"))) == ["Six"]
    # Every word must match.
    assert titles(get(list_url(call, q="cocoa monitoring"))) == ["Cocoa remediation"]
    assert titles(get(list_url(call, q="cocoa diallo"))) == []
    # Search and filters together.
    assert titles(get(list_url(call, q="diallo", status="draft"))) == []


# Sort


def test_sort_by_each_column_both_ways(secretariat_client, call):
    now = timezone.now()
    b = ProposalFactory(
        call=call,
        title="beta",
        lead_organisation=OrganisationFactory(name="Zeta Org"),
        submitted_at=now - timedelta(days=2),
    )
    a = ProposalFactory(
        call=call,
        title="Alpha",
        lead_organisation=OrganisationFactory(name="Mu Org"),
        submitted_at=now - timedelta(days=1),
        status=Proposal.Status.WITHDRAWN,
    )
    c = ProposalFactory(
        call=call,
        title="Gamma",
        lead_organisation=OrganisationFactory(name="alpha Org"),
        status=Proposal.Status.DRAFT,
    )
    CoSubmitterFactory(proposal=b)
    CoSubmitterFactory(proposal=b, status=CoSubmitter.Status.PENDING)
    CoSubmitterFactory(proposal=a)
    get = secretariat_client.get
    # Default: newest submission first, drafts (never submitted) last.
    assert titles(get(list_url(call))) == ["Alpha", "beta", "Gamma"]
    assert titles(get(list_url(call, sort="title"))) == ["Alpha", "beta", "Gamma"]
    assert titles(get(list_url(call, sort="-title"))) == ["Gamma", "beta", "Alpha"]
    assert titles(get(list_url(call, sort="lead"))) == ["Gamma", "Alpha", "beta"]
    assert titles(get(list_url(call, sort="status"))) == ["Gamma", "beta", "Alpha"]
    assert titles(get(list_url(call, sort="submitted"))) == ["beta", "Alpha", "Gamma"]
    assert titles(get(list_url(call, sort="-organisations"))) == ["beta", "Alpha", "Gamma"]
    assert titles(get(list_url(call, sort="nonsense"))) == ["Alpha", "beta", "Gamma"]
    Proposal.objects.filter(pk=b.pk).update(updated_at=now + timedelta(hours=1))
    assert titles(get(list_url(call, sort="-updated")))[0] == "beta"
    assert c  # drafts are listed


def test_sort_headers_are_links_with_aria_sort_keeping_filters(secretariat_client, call):
    ProposalFactory(call=call, themes=["child_labour"])
    html = secretariat_client.get(list_url(call, theme="child_labour", sort="title")).content
    html = html.decode()
    assert (
        '<th scope="col" aria-sort="ascending"><a href="?theme=child_labour&amp;sort=-title">'
        in (html)
    )
    assert 'href="?theme=child_labour&amp;sort=lead"' in html
    assert "<caption>" in html
    # The filter form keeps the sort.
    assert '<input type="hidden" name="sort" value="title">' in html


# Counts and efficiency


def test_counts_at_the_top(secretariat_client, call):
    joint = ProposalFactory(call=call, includes_pathfinder=True)
    CoSubmitterFactory(proposal=joint)
    CoSubmitterFactory(proposal=joint)
    flagged = ProposalFactory(call=call, status=Proposal.Status.DRAFT)
    CoSubmitterFactory(proposal=flagged, organisation=None, unlisted_name="X", status="unlisted")
    CoSubmitterFactory(proposal=flagged, organisation=None, unlisted_name="Y", status="unlisted")
    ProposalFactory(call=call, status=Proposal.Status.WITHDRAWN)
    ProposalFactory(call=call)
    response = secretariat_client.get(list_url(call, status="draft"))
    assert response.context["counts"] == {
        "total": 4,
        "draft": 1,
        "submitted": 2,
        "withdrawn": 1,
        "joint": 1,
        "pathfinder": 1,
        "unlisted": 1,
    }
    assert response.context["page"].paginator.count == 1


def test_rows_show_co_submitters_with_status_and_unlisted_flag(secretariat_client, call):
    proposal = ProposalFactory(call=call, includes_pathfinder=True)
    CoSubmitterFactory(proposal=proposal, organisation=OrganisationFactory(name="Confirmed Org"))
    CoSubmitterFactory(
        proposal=proposal,
        organisation=OrganisationFactory(name="Waiting Org"),
        status=CoSubmitter.Status.PENDING,
    )
    CoSubmitterFactory(
        proposal=proposal, organisation=None, unlisted_name="Village Group", status="unlisted"
    )
    html = secretariat_client.get(list_url(call)).content.decode()
    assert re.search(r"Confirmed Org <span class=\"badge ok\">confirmed</span>", html)
    assert re.search(r"Waiting Org <span class=\"badge\">waiting for confirmation</span>", html)
    assert re.search(r"Village Group <span class=\"badge warn\">not in the directory</span>", html)
    assert reverse("proposals:manage_detail", kwargs={"pk": proposal.pk}) in html


def test_the_table_takes_a_bounded_number_of_queries(
    secretariat_client, call, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            proposal = ProposalFactory(
                call=call,
                title=f"Topic number {i} about something {i * 7}",
                description=f"Description {i} " + " ".join(f"w{i}x{j}" for j in range(30)),
                themes=["child_labour"],
                outcomes=[1],
                sectors=["mining"],
                countries=["GH"],
            )
            CoSubmitterFactory(proposal=proposal)
            CoSubmitterFactory(
                proposal=proposal, organisation=None, unlisted_name="U", status="unlisted"
            )
            SpeakerFactory(proposal=proposal)

    make(3)
    with django_assert_max_num_queries(25) as few:
        secretariat_client.get(list_url(call, theme="child_labour", sort="lead"))
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = secretariat_client.get(list_url(call, theme="child_labour", sort="lead"))
    assert len(response.context["rows"]) == 23


def test_pagination_by_fifty_keeps_filters(secretariat_client, call):
    for i in range(52):
        ProposalFactory(
            call=call, title=f"P{i:02d} subject {i}", description="", themes=["child_labour"]
        )
    response = secretariat_client.get(list_url(call, theme="child_labour", sort="title"))
    assert len(response.context["rows"]) == 50
    assert 'href="?theme=child_labour&amp;sort=title&amp;page=2"' in response.content.decode()
    response = secretariat_client.get(list_url(call, theme="child_labour", sort="title", page=2))
    assert titles(response) == ["P50 subject 50", "P51 subject 51"]
