"""A person's journeys through the real pages, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from deepdive.demo.operations import load_demo
from deepdive.outbox.models import OutboxMessage

from .conftest import log_in

PASSWORD = "demo-pass-123"


@pytest.fixture
def demo(page):
    load_demo(password=PASSWORD)


def _last_email_to(address: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(to_email=address).order_by("-id").first()


def test_sign_up_verify_and_state_an_affiliation(page, demo, screenshot):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Full name").fill("Amina Diallo")
    page.get_by_label("Email").fill("amina@lake-malawi-tea-workers-union.example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-Long-pass-2027")
    page.get_by_label("Password (again)").fill("a-Long-pass-2027")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    message = _last_email_to("amina@lake-malawi-tea-workers-union.example.org")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body_text).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirm").click()

    page.goto("/me/affiliations/")
    page.get_by_label("Organisation").select_option(label="Lake Malawi Tea Workers' Union (LMTWU)")
    page.get_by_role("button", name="State affiliation").click()
    expect(page.get_by_text("verified", exact=False).first).to_be_visible()
    screenshot("affiliation-verified")


def test_log_in_with_a_code_sent_by_email(page, demo):
    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("sign-in code", re.I)).click()
    page.get_by_label("Email").fill("member@example.org")
    page.get_by_role("button", name=re.compile("Request Code", re.I)).click()
    message = _last_email_to("member@example.org")
    lines = [line.strip() for line in message.body_text.splitlines()]
    start = next(i for i, line in enumerate(lines) if "browser window" in line)
    code = next(line for line in lines[start + 1 :] if line)
    page.get_by_label(re.compile(r"^Code:?$")).fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_search_and_filter_the_directory(page, demo, screenshot):
    page.goto("/directory/")
    page.get_by_label(re.compile(r"^Search:?$")).fill("union")
    page.get_by_role("group", name="Partner type").get_by_label("Workers' organisation").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile("Lake Malawi Tea Workers"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Andes Coffee"))).to_have_count(0)
    assert "type=workers_organisation" in page.url and "q=union" in page.url
    screenshot("directory-filtered")
    page.get_by_role("link", name=re.compile("Lake Malawi Tea Workers")).click()
    expect(page.get_by_role("heading", name=re.compile("Lake Malawi Tea Workers"))).to_be_visible()
    expect(page.get_by_text("member@example.org")).to_have_count(0)


@pytest.mark.parametrize(
    ("account", "sees"),
    [
        ("secretariat@example.org", "Manage the platform"),
        ("member@example.org", "Lake Malawi Tea Workers"),
        ("reviewer@example.org", "Kestrel Institute for Labour Research"),
        ("host@example.org", "Atlas Garment Makers"),
    ],
)
def test_each_demo_account_sees_its_home_page(page, demo, account, sees):
    log_in(page, account, PASSWORD)
    page.goto("/my/")
    expect(page.get_by_text(sees).first).to_be_visible()


def test_language_and_time_zone_follow_the_reader(page, demo):
    page.goto("/")
    expect(page.locator("#timezone-note")).to_contain_text("Africa/Abidjan")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("link", name="Annuaire des partenaires")).to_be_visible()
    page.goto("/directory/")
    expect(page.get_by_role("link", name="Annuaire des partenaires")).to_be_visible()
