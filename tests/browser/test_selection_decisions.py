"""The decision of the demo's reviewed call in Chromium: the secretariat confirms a selection
run as the decision, reads and approves the held decision e-mails, a selected host declines
in the platform, and the secretariat promotes from the waitlist and sees what changed."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals.models import Proposal
from deepdive.selection import operations
from deepdive.selection.models import Decision, SelectionRun
from deepdive.series.models import Call

from .conftest import log_in

PASSWORD = "decision-demo-password"
SECRETARIAT = "secretariat@example.org"
# Hugo Host's organisation leads "Fair hiring of migrant workers in garment SMEs", which the
# demo's reviewed call selects for its coverage of human trafficking, not for its score.
HOST = "host@example.org"


@pytest.fixture
def run(reference_data):
    """The demo's reviewed call with one selection run, proposed and not yet the decision."""
    load_demo(password=PASSWORD)
    call = Call.objects.get(slug="first-round-reviewed")
    return operations.run_selection(actor=User.objects.get(email=SECRETARIAT), call=call)


def titles(selection_run: SelectionRun, ids) -> list[str]:
    return [selection_run.proposals[pid]["title"] for pid in ids]


def decision_row(page, title: str):
    table = page.get_by_role("table", name="The decision on each proposal")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=title))


def expect_outcome(page, title: str, outcome: str, hosting: str | re.Pattern) -> None:
    cells = decision_row(page, title).get_by_role("cell")
    expect(cells.nth(0)).to_have_text(outcome)
    expect(cells.nth(1)).to_have_text(hosting)


def open_run(page, call: Call, name: str) -> None:
    """From the call's selection page, the run named ``name`` in the list of earlier runs."""
    page.goto(f"/manage/calls/{call.pk}/selection/")
    runs = page.get_by_role("table", name="Earlier runs of the selection, newest first")
    runs.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_the_secretariat_decides_a_host_declines_and_the_waitlist_fills_the_seat(
    page, run, screenshot
):
    call = run.call
    chosen = titles(run, run.result["selected"])
    host_title = Proposal.objects.get(call=call, created_by__email=HOST).title
    assert host_title in chosen and len(chosen) == 4
    proposals = len(run.input["proposals"])

    # 1. The secretariat confirms the run as the decision, with a deadline for the hosts.
    log_in(page, SECRETARIAT, PASSWORD)
    open_run(page, call, str(run))
    expect(page.get_by_role("heading", name="Confirm this run as the decision")).to_be_visible()
    deadline = timezone.localdate() + timedelta(days=10)
    page.get_by_label(re.compile(r"^Hosts confirm by:?$")).fill(deadline.isoformat())
    screenshot("decision-confirm")
    page.get_by_role("button", name="Confirm this run as the decision").click()

    expect(page.get_by_text("The run is the decision. The e-mails are drafted")).to_be_visible()
    expect(page.get_by_role("heading", name="The decision", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Confirm this run as the decision")).to_have_count(0)
    run.refresh_from_db()
    assert run.status == SelectionRun.Status.CONFIRMED
    waitlist = titles(run, run.result["waitlist"])  # the optimiser's picks, best score first
    assert len(waitlist) == 3 and not set(waitlist) & set(chosen)
    for title in chosen:
        expect_outcome(page, title, "selected", re.compile(r"^waiting for the host's answer by "))
    for position, title in enumerate(waitlist, start=1):
        expect_outcome(page, title, f"waitlisted ({position})", "—")
    left_out = set(titles(run, run.proposals)) - set(chosen) - set(waitlist)
    for title in left_out:
        expect_outcome(page, title, "not selected", "—")
    # The waitlisted rows come in the waitlist's order.
    table = page.get_by_role("table", name="The decision on each proposal")
    waiting = table.get_by_role("row").filter(has_text="waitlisted").get_by_role("rowheader")
    expect(waiting).to_have_count(3)
    assert [text.split("\n")[0].strip() for text in waiting.all_inner_texts()] == waitlist
    screenshot("decision-confirmed")

    # 2. The decision e-mails wait for approval; once approved, they go.
    sent_before = len(mail.outbox)
    page.get_by_role("link", name="Read and approve the decision e-mails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decisions — {call}")
    held = page.get_by_role("table", name="Waiting for approval")
    expect(held.locator("tbody tr")).to_have_count(proposals)
    batch = OutboxMessage.objects.filter(batch=run.result["decision_batch"])
    assert batch.count() == proposals
    assert set(batch.values_list("status", flat=True)) == {OutboxMessage.Status.HELD}
    assert len(mail.outbox) == sent_before  # nothing went out
    screenshot("decision-batch")
    page.get_by_role("button", name=f"Approve all {proposals} messages").click()
    expect(
        page.get_by_text(f"{proposals} messages approved: they are queued to be sent.")
    ).to_be_visible()
    expect(page.get_by_text("No message of this batch waits for approval.")).to_be_visible()
    # Tests deliver at once (tasks run immediately, into Django's test mailbox).
    assert set(batch.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert batch.filter(approved_by__email=SECRETARIAT).count() == proposals
    sent = mail.outbox[sent_before:]
    assert sorted(m.to[0] for m in sent) == sorted(batch.values_list("to_email", flat=True))
    page.get_by_role("button", name="Log out").click()

    # 3. Hugo Host, whose proposal is selected, declines hosting in the platform.
    log_in(page, HOST, PASSWORD)
    page.get_by_role("region", name="Your organisations' proposals").get_by_role(
        "link", name=host_title
    ).click()
    expect(page.get_by_text(f"Your proposal is selected for {call.title}.")).to_be_visible()
    page.get_by_role("link", name=f"Hosting “{host_title}”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hosting “{host_title}”")
    expect(page.get_by_text("Please confirm that you will host it, by")).to_be_visible()
    screenshot("decision-host")
    page.get_by_role("button", name="We decline").click()
    expect(page.get_by_text("Thank you: your answer is saved.")).to_be_visible()
    expect(page.get_by_text("You have declined hosting this webinar.")).to_be_visible()
    expect(page.get_by_role("button", name="We will host it")).to_have_count(0)
    declined = Decision.objects.get(proposal__call=call, proposal__title=host_title)
    assert declined.host_status == Decision.HostStatus.DECLINED
    assert declined.host_answered_by.email == HOST
    screenshot("decision-host-declined")
    page.get_by_role("button", name="Log out").click()

    # 4. The secretariat promotes from the waitlist and sees who left and who came in.
    log_in(page, SECRETARIAT, PASSWORD)
    open_run(page, call, str(run))
    expect_outcome(page, host_title, "selected", "hosting declined")
    expect(page.get_by_text("1 selected host declined.")).to_be_visible()
    page.get_by_role("button", name="Promote from the waitlist").click()

    expect(page.get_by_text("Promoted from the waitlist. Here is what changed.")).to_be_visible()
    promotion = SelectionRun.objects.get(call=call, note="promotion")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(promotion))
    [came_in] = titles(promotion, promotion.result["changes"]["came_in"])
    assert came_in in waitlist
    changes = page.get_by_role("region", name="What the promotion changed")
    expect(changes).to_be_visible()

    def fact(term: str):
        return changes.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")

    expect(fact("Left the series")).to_have_text(f"“{host_title}”")
    expect(fact("Came in")).to_have_text(f"“{came_in}”")
    expect(fact("Objective before")).to_have_text(f"{run.objective:.3f}")
    after = promotion.result["changes"]["objective_after"]
    expect(fact("Objective after")).to_have_text(f"{after:.3f}")
    assert after <= run.objective
    expect_outcome(page, host_title, "not selected", "hosting declined")
    expect(decision_row(page, came_in).get_by_role("cell").nth(0)).to_have_text("selected promoted")
    remaining = [title for title in waitlist if title != came_in]
    for position, title in enumerate(remaining, start=1):
        expect_outcome(page, title, f"waitlisted ({position})", "—")
    expect(page.get_by_role("link", name="Read and approve the decision e-mails")).to_be_visible()
    held = OutboxMessage.objects.filter(batch=promotion.result["decision_batch"])
    assert [(m.status, m.kind) for m in held] == [(OutboxMessage.Status.HELD, "decision")]
    screenshot("decision-promoted")
