"""The pool's pages: round settings (window in a named zone), pool table, adding and removing
reviewers, conflicts, invitations, expertise, a reviewer declaring a conflict; permissions."""

from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from deepdive.core import audit
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.reviews.models import Assignment, DeclaredConflict, Reviewer, ReviewRound
from deepdive.reviews.operations import pool as ops
from tests.accounts.factories import AffiliationFactory

from .factories import (
    AssignmentFactory,
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    ReviewerFactory,
    ReviewerUserFactory,
    ReviewFactory,
    SecretariatFactory,
    theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return SecretariatFactory(name="Sara Secretariat")


@pytest.fixture
def call():
    return CallFactory(title="Call for webinar proposals")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def url(name: str, **kwargs) -> str:
    return reverse(f"reviews:{name}", kwargs=kwargs)


def round_data(**changes) -> dict:
    data = {
        "reviewers_per_proposal": "3",
        "default_max_load": "6",
        "timezone": "Europe/Paris",
        "opens_local": "2027-03-22T09:00",
        "closes_local": "2027-04-05T18:00",
        "objective": "total",
        "others_visible_after_submit": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response, field: str) -> list[str]:
    for name in ("round_form", "add_form", "form"):
        form = response.context.get(name)
        if form is not None and form.errors.get(field):
            return form.errors[field]
    return []


# --- Permissions ----------------------------------------------------------------------------


def manage_urls(call, reviewer, conflict) -> list[tuple[str, str]]:
    return [
        ("get", url("pool", call_id=call.pk)),
        ("post", url("pool", call_id=call.pk)),
        ("post", url("pool_add", call_id=call.pk)),
        ("post", url("pool_add_secretariat", call_id=call.pk)),
        ("post", url("pool_loads", call_id=call.pk, reviewer_id=reviewer.pk)),
        ("get", url("pool_remove", call_id=call.pk, reviewer_id=reviewer.pk)),
        ("post", url("pool_remove", call_id=call.pk, reviewer_id=reviewer.pk)),
        ("get", url("conflicts", call_id=call.pk)),
        ("post", url("conflicts", call_id=call.pk)),
        ("post", url("conflict_lift", call_id=call.pk, conflict_id=conflict.pk)),
    ]


def test_manage_pages_anonymous_to_login_member_forbidden(client, call):
    reviewer = ReviewerFactory(call=call)
    conflict = DeclaredConflict.objects.create(
        reviewer=reviewer, proposal=ProposalFactory(call=call), reason="Tie"
    )
    pages = manage_urls(call, reviewer, conflict)
    for method, address in pages:
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login")), address
    client.force_login(reviewer.user)
    for method, address in pages:
        assert getattr(client, method)(address).status_code == 403, address
    reviewer.refresh_from_db()
    assert reviewer.status == Reviewer.Status.ACTIVE
    assert DeclaredConflict.objects.get().lifted_at is None


def test_reviewer_pages_need_login(client, call):
    reviewer = ReviewerFactory(call=call)
    proposal = ProposalFactory(call=call)
    for address in (
        url("invitations"),
        url("expertise", reviewer_id=reviewer.pk),
        url("declare_conflict", proposal_id=proposal.pk),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- Round settings -------------------------------------------------------------------------


def test_pool_page_shows_settings_pool_and_links(staff_client, call):
    ReviewerFactory(
        call=call, user__name="Kofi Mensah", themes=["child_labour"], regions=["africa"]
    )
    ReviewerFactory(call=call, user=None, status="invited", email="ana@ngo.example")
    response = staff_client.get(url("pool", call_id=call.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kofi Mensah" in page and "ana@ngo.example" in page
    assert "Africa" in page and "Child labour" in page
    for name in ("conflicts", "assign", "progress", "ranking"):
        assert url(name, call_id=call.pk) in page
    assert url("pool_add_secretariat", call_id=call.pk) in page
    # The page does not create the round: the defaults are shown.
    assert not ReviewRound.objects.exists()
    assert response.context["round_form"].initial["reviewers_per_proposal"] == 3


def test_saving_the_window_in_a_named_zone(staff_client, staff, call):
    response = staff_client.post(url("pool", call_id=call.pk), round_data())
    assert response.status_code == 302
    review_round = ReviewRound.objects.get(call=call)
    # Paris is at UTC+1 before 28 March 2027 and UTC+2 after.
    assert review_round.opens_at == datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
    assert review_round.closes_at == datetime(2027, 4, 5, 16, 0, tzinfo=UTC)
    assert review_round.timezone == "Europe/Paris" and review_round.default_max_load == 6
    entry = audit.history(review_round).first()
    assert entry.action == "reviews.round_updated" and entry.actor == staff
    # Shown back in the zone's wall-clock time.
    response = staff_client.get(url("pool", call_id=call.pk))
    assert 'value="2027-04-05T18:00"' in response.content.decode()


def test_a_time_in_the_spring_gap_is_refused_beside_its_field(staff_client, call):
    response = staff_client.post(
        url("pool", call_id=call.pk), round_data(opens_local="2027-03-28T02:30")
    )
    assert response.status_code == 400
    [message] = errors_of(response, "opens_local")
    assert "does not exist in Europe/Paris" in message
    assert not ReviewRound.objects.exists()


def test_an_autumn_time_is_its_first_occurrence(staff_client, call):
    response = staff_client.post(
        url("pool", call_id=call.pk),
        round_data(opens_local="2027-10-31T02:30", closes_local="2027-11-10T12:00"),
    )
    assert response.status_code == 302
    assert ReviewRound.objects.get().opens_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_the_window_must_close_after_it_opens(staff_client, call):
    response = staff_client.post(
        url("pool", call_id=call.pk),
        round_data(opens_local="2027-04-05T18:00", closes_local="2027-04-05T17:00"),
    )
    assert response.status_code == 400
    assert errors_of(response, "closes_local") == ["The review must close after it opens."]
    response = staff_client.post(url("pool", call_id=call.pk), round_data(closes_local=""))
    assert response.status_code == 400
    assert errors_of(response, "closes_local")


# --- Adding, loads, removing ----------------------------------------------------------------


def test_adding_a_member_sends_an_invitation(staff_client, call):
    response = staff_client.post(
        url("pool_add", call_id=call.pk),
        {"email": "ana@ngo.example", "min_load": "1", "max_load": "5"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("pool", call_id=call.pk)
    assert "ana@ngo.example was invited by e-mail" in response.content.decode()
    reviewer = Reviewer.objects.get()
    assert (reviewer.status, reviewer.min_load, reviewer.max_load) == ("invited", 1, 5)
    assert OutboxMessage.objects.get().to_email == "ana@ngo.example"


def test_a_duplicate_address_is_a_form_error(staff_client, staff, call):
    ops.add_reviewer(actor=staff, call=call, email="ana@ngo.example")
    response = staff_client.post(
        url("pool_add", call_id=call.pk), {"email": "Ana@NGO.example", "min_load": "0"}
    )
    assert response.status_code == 400
    assert errors_of(response, "email") == [
        "ana@ngo.example is already in this call's reviewer pool."
    ]
    assert Reviewer.objects.count() == 1


def test_loads_min_above_max_refused_beside_the_field(staff_client, call):
    response = staff_client.post(
        url("pool_add", call_id=call.pk),
        {"email": "ana@ngo.example", "min_load": "6", "max_load": "2"},
    )
    assert response.status_code == 400
    assert errors_of(response, "max_load") == [
        "The maximum load (2) must be at least the minimum load (6)."
    ]
    assert not Reviewer.objects.exists()
    reviewer = ReviewerFactory(call=call)
    prefix = f"loads-{reviewer.pk}"
    address = url("pool_loads", call_id=call.pk, reviewer_id=reviewer.pk)
    response = staff_client.post(address, {f"{prefix}-min_load": "4", f"{prefix}-max_load": "3"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{prefix}-max_load_errors"' in page
    [row] = [r for r in response.context["rows"] if r.reviewer == reviewer]
    assert row.loads_form.errors["max_load"]
    response = staff_client.post(address, {f"{prefix}-min_load": "1", f"{prefix}-max_load": "3"})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.min_load, reviewer.max_load) == (1, 3)


def test_add_all_secretariat_staff_button(staff_client, staff, call):
    SecretariatFactory()
    response = staff_client.post(url("pool_add_secretariat", call_id=call.pk))
    assert response.status_code == 302
    assert Reviewer.objects.filter(call=call, status="active").count() == 2
    assert not OutboxMessage.objects.exists()


def test_removing_after_confirmation(staff_client, call):
    reviewer = ReviewerFactory(call=call, user__name="Kofi Mensah")
    done = AssignmentFactory(reviewer=reviewer)
    open_one = AssignmentFactory(reviewer=reviewer)
    ReviewFactory(reviewer=reviewer, proposal=done.proposal)
    address = url("pool_remove", call_id=call.pk, reviewer_id=reviewer.pk)
    response = staff_client.get(address)
    assert response.status_code == 200
    assert "Kofi Mensah" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.status == "active"
    response = staff_client.post(address, follow=True)
    assert "1 assignment is to be reassigned" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.status == "removed"
    open_one.refresh_from_db()
    assert open_one.status == Assignment.Status.NEEDS_REASSIGNMENT
    assert reviewer.reviews.count() == 1


def test_a_reviewer_of_another_call_is_404(staff_client, call):
    other = ReviewerFactory()
    address = url("pool_remove", call_id=call.pk, reviewer_id=other.pk)
    assert staff_client.get(address).status_code == 404


# --- Conflicts ------------------------------------------------------------------------------


def test_conflicts_page_automatic_and_declared(staff_client, staff, call):
    union = OrganisationFactory(name="Lake Tea Union")
    reviewer = ReviewerFactory(call=call, user__name="Kofi Mensah")
    AffiliationFactory(user=reviewer.user, organisation=union, status=Affiliation.Status.VERIFIED)
    led = ProposalFactory(call=call, lead_organisation=union, title="Living wages on tea")
    joint = ProposalFactory(call=call, title="Cocoa remediation")
    CoSubmitterFactory(proposal=joint, organisation=union)
    ProposalFactory(call=call, title="Unrelated")
    other = ProposalFactory(call=call, title="Fishing vessels")
    ops.declare_conflict(
        actor=reviewer.user, reviewer=reviewer, proposal=other, reason="My brother works there"
    )
    response = staff_client.get(url("conflicts", call_id=call.pk))
    assert response.status_code == 200
    [item] = response.context["automatic"]
    assert item.reviewer == reviewer
    assert {c.proposal for c in item.conflicts} == {led, joint}
    assert all(c.organisations == [union] for c in item.conflicts)
    page = response.content.decode()
    assert "Lake Tea Union" in page and "My brother works there" in page
    # The pool counts them.
    response = staff_client.get(url("pool", call_id=call.pk))
    [row] = response.context["rows"]
    assert row.conflicts == 3


def test_declaring_and_lifting_from_the_conflicts_page(staff_client, staff, call):
    reviewer = ReviewerFactory(call=call)
    proposal = ProposalFactory(call=call)
    address = url("conflicts", call_id=call.pk)
    data = {"reviewer": reviewer.pk, "proposal": proposal.pk, "reason": ""}
    response = staff_client.post(address, data)
    assert response.status_code == 400 and errors_of(response, "reason")
    response = staff_client.post(address, {**data, "reason": "Co-author of its lead"})
    assert response.status_code == 302
    conflict = DeclaredConflict.objects.get()
    assert conflict.declared_by == staff
    lift = url("conflict_lift", call_id=call.pk, conflict_id=conflict.pk)
    response = staff_client.post(lift, {f"lift-{conflict.pk}-reason": ""})
    assert response.status_code == 400
    assert f'id="id_lift-{conflict.pk}-reason_errors"' in response.content.decode()
    response = staff_client.post(lift, {f"lift-{conflict.pk}-reason": "Not co-author after all"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.lift_reason == "Not co-author after all"
    # Both reasons are in the proposal's history on its page.
    page = staff_client.get(reverse("proposals:manage_detail", kwargs={"pk": proposal.pk}))
    assert [e.action for e in audit.history(proposal)] == [
        "reviews.conflict_lifted",
        "reviews.conflict_declared",
    ]
    assert page.status_code == 200
    # The page lists the lifted one, with its reason, and offers no lift form for it.
    page = staff_client.get(address).content.decode()
    assert "Not co-author after all" in page and lift not in page


def test_a_conflict_of_another_call_cannot_be_lifted_here(staff_client, call):
    reviewer = ReviewerFactory()
    conflict = DeclaredConflict.objects.create(
        reviewer=reviewer, proposal=ProposalFactory(call=reviewer.call), reason="Tie"
    )
    address = url("conflict_lift", call_id=call.pk, conflict_id=conflict.pk)
    assert staff_client.post(address, {f"lift-{conflict.pk}-reason": "x"}).status_code == 404


# --- Invitations and expertise --------------------------------------------------------------


def test_invitations_matched_by_verified_addresses(client, staff, call):
    person = ReviewerUserFactory(email="kofi.mensah@gmail.example")
    EmailAddress.objects.create(user=person, email="kofi@cocoa.example", verified=True)
    EmailAddress.objects.create(user=person, email="k@unverified.example", verified=False)
    mine = ops.add_reviewer(actor=staff, call=call, email="kofi@cocoa.example")
    ops.add_reviewer(actor=staff, call=call, email="k@unverified.example")
    ops.add_reviewer(actor=staff, call=call, email="someone@else.example")
    client.force_login(person)
    response = client.get(url("invitations"))
    assert response.status_code == 200
    assert list(response.context["invitations"]) == [mine]
    assert "Call for webinar proposals" in response.content.decode()


def test_accepting_leads_to_the_expertise_profile(client, staff, call, reference_data):
    person = ReviewerUserFactory(email="kofi@cocoa.example")
    reviewer = ops.add_reviewer(actor=staff, call=call, email="kofi@cocoa.example")
    client.force_login(person)
    response = client.post(
        url("invitation_answer", reviewer_id=reviewer.pk), {"decision": "accept"}
    )
    assert response["Location"] == url("expertise", reviewer_id=reviewer.pk)
    reviewer.refresh_from_db()
    assert reviewer.status == "active" and reviewer.user == person
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Asia and the Pacific" in page.content.decode()
    response = client.post(
        url("expertise", reviewer_id=reviewer.pk),
        {
            "themes": [theme("forced_labour").pk],
            "regions": ["africa", "arab_states"],
            "languages": ["en", "es"],
        },
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.regions == ["africa", "arab_states"] and reviewer.languages == ["en", "es"]
    assert [t.code for t in reviewer.themes.all()] == ["forced_labour"]


def test_declining_and_answering_someone_elses_invitation(client, staff, call):
    person = ReviewerUserFactory(email="kofi@cocoa.example")
    reviewer = ops.add_reviewer(actor=staff, call=call, email="kofi@cocoa.example")
    other = ops.add_reviewer(actor=staff, call=call, email="ana@ngo.example")
    client.force_login(person)
    answer = url("invitation_answer", reviewer_id=other.pk)
    assert client.post(answer, {"decision": "accept"}).status_code == 404
    response = client.post(
        url("invitation_answer", reviewer_id=reviewer.pk), {"decision": "decline"}
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    other.refresh_from_db()
    assert reviewer.status == "declined" and other.status == "invited"


def test_someone_elses_expertise_is_404(client, call):
    reviewer = ReviewerFactory(call=call)
    client.force_login(ReviewerUserFactory())
    assert client.get(url("expertise", reviewer_id=reviewer.pk)).status_code == 404
    assert client.post(url("expertise", reviewer_id=reviewer.pk), {}).status_code == 404


# --- A reviewer declares a conflict ---------------------------------------------------------


def test_a_reviewer_declares_a_conflict_on_an_assigned_proposal(client, call):
    assignment = AssignmentFactory(reviewer=ReviewerFactory(call=call))
    reviewer, proposal = assignment.reviewer, assignment.proposal
    client.force_login(reviewer.user)
    address = url("declare_conflict", proposal_id=proposal.pk)
    assert client.get(address).status_code == 200
    response = client.post(address, {"reason": ""})
    assert response.status_code == 400 and errors_of(response, "reason")
    response = client.post(address, {"reason": "I advised its lead last year."}, follow=True)
    assert response.redirect_chain[0][0] == url("mine")
    assert "You declared a conflict; the secretariat will reassign this proposal" in (
        response.content.decode()
    )
    conflict = DeclaredConflict.objects.get()
    assert (conflict.reviewer, conflict.proposal) == (reviewer, proposal)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.NEEDS_REASSIGNMENT
    assert audit.history(proposal).first().action == "reviews.conflict_declared"


def test_declaring_on_a_proposal_not_assigned_is_404(client, call):
    reviewer = ReviewerFactory(call=call)
    AssignmentFactory(reviewer=reviewer)
    not_mine = ProposalFactory(call=call)
    client.force_login(reviewer.user)
    assert client.get(url("declare_conflict", proposal_id=not_mine.pk)).status_code == 404
    response = client.post(url("declare_conflict", proposal_id=not_mine.pk), {"reason": "x"})
    assert response.status_code == 404
    assert client.get(url("declare_conflict", proposal_id=999999)).status_code == 404
    # A member who is no reviewer at all.
    client.force_login(ReviewerUserFactory())
    assert client.get(url("declare_conflict", proposal_id=not_mine.pk)).status_code == 404
    assert not DeclaredConflict.objects.exists()


# --- Admin ----------------------------------------------------------------------------------


def test_admin_shows_the_rows_read_only(client, call):
    from deepdive.accounts.models import User

    admin = User.objects.create_superuser(email="admin@ilo.example", password="x-Strong-1!")
    reviewer = ReviewerFactory(call=call)
    AssignmentFactory(reviewer=reviewer)
    client.force_login(admin)
    for model in (
        "reviewround",
        "reviewer",
        "declaredconflict",
        "assignmentrun",
        "assignment",
        "review",
    ):
        assert client.get(f"/admin/reviews/{model}/").status_code == 200, model
    assert client.get(f"/admin/reviews/reviewer/{reviewer.pk}/change/").status_code == 200
    assert client.get("/admin/reviews/reviewer/add/").status_code == 403
    client.post(f"/admin/reviews/reviewer/{reviewer.pk}/change/", {"email": "x@y.example"})
    reviewer.refresh_from_db()
    assert reviewer.email != "x@y.example"
