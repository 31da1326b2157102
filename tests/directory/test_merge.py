import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.directory import operations
from deepdive.directory.models import Affiliation, Organisation

from .factories import (
    AffiliationFactory,
    OrganisationFactory,
    UserFactory,
    action_group,
    sector,
    theme,
)

pytestmark = pytest.mark.django_db
URL = reverse("directory:merge")
S = Affiliation.Status


@pytest.fixture
def pair():
    source = OrganisationFactory(
        name="FCA duplicate",
        slug="fca-dup",
        acronym="FCA",
        website="https://fca.example.org",
        countries=["GH", "MA"],
        themes=[theme()],
        sectors=[sector()],
        domains=["fca.example.org"],
        description="From the duplicate.",
    )
    target = OrganisationFactory(
        name="Fair Cocoa Alliance",
        slug="fca",
        countries=["FR"],
        action_groups=[action_group()],
        domains=["fca.example.com"],
        description="Kept description.",
    )
    return source, target


def test_merge_moves_everything_and_redirects_the_old_page(client, secretariat_client, pair):
    source, target = pair
    moved = AffiliationFactory(organisation=source, status=S.PENDING)
    both_better_in_source = UserFactory()
    AffiliationFactory(organisation=source, user=both_better_in_source, status=S.VERIFIED)
    AffiliationFactory(organisation=target, user=both_better_in_source, status=S.REJECTED)
    both_better_in_target = UserFactory()
    AffiliationFactory(organisation=source, user=both_better_in_target, status=S.PENDING)
    AffiliationFactory(organisation=target, user=both_better_in_target, status=S.VERIFIED)

    # Step 1: the confirmation shows what will move.
    response = secretariat_client.post(URL, {"source": source.pk, "target": target.pk})
    assert response.status_code == 200
    assert response.context["affiliations"] == 3
    assert response.context["shared_affiliations"] == 2
    assert response.context["domains"] == ["fca.example.org"]
    html = response.content.decode()
    assert "3 affiliations" in html and "1 e-mail domain" in html
    assert Organisation.objects.get(pk=source.pk).merged_into is None  # nothing written yet

    # Step 2: confirmed.
    response = secretariat_client.post(
        URL, {"source": source.pk, "target": target.pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == target.get_absolute_url()

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into == target
    assert source.affiliations.count() == 0
    statuses = dict(target.affiliations.values_list("user_id", "status"))
    assert statuses == {
        moved.user_id: S.PENDING,
        both_better_in_source.pk: S.VERIFIED,
        both_better_in_target.pk: S.VERIFIED,
    }
    assert sorted(target.domains.values_list("domain", flat=True)) == [
        "fca.example.com",
        "fca.example.org",
    ]
    assert set(target.countries.values_list("code", flat=True)) == {"FR", "GH", "MA"}
    assert target.themes.count() == 1 and target.sectors.count() == 1
    assert target.action_groups.count() == 1
    assert target.acronym == "FCA"  # empty field filled
    assert target.website == "https://fca.example.org"
    assert target.description == "Kept description."  # filled fields kept

    assert AuditEntry.objects.filter(action="directory.merge", object_id=str(source.pk)).exists()
    assert AuditEntry.objects.filter(action="directory.merge", object_id=str(target.pk)).exists()

    old_page = client.get(reverse("directory:organisation", kwargs={"slug": "fca-dup"}))
    assert old_page.status_code == 301
    assert old_page["Location"] == target.get_absolute_url()
    listed = client.get(reverse("directory:list")).context["page"].object_list
    assert [o.name for o in listed] == ["Fair Cocoa Alliance"]


def test_merge_with_itself_is_refused_with_a_form_error(secretariat_client, pair):
    source, _ = pair
    response = secretariat_client.post(
        URL, {"source": source.pk, "target": source.pk, "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["target"] == [
        "Choose two different organisations: one cannot be merged into itself."
    ]
    source.refresh_from_db()
    assert source.merged_into is None


def test_merge_into_a_merged_organisation_is_refused(secretariat_client, pair):
    source, target = pair
    gone = OrganisationFactory(name="Gone", merged_into=target)
    response = secretariat_client.post(URL, {"source": source.pk, "target": gone.pk})
    assert response.context["form"].errors["target"] == [
        "Gone has already been merged into Fair Cocoa Alliance; choose Fair Cocoa Alliance instead."
    ]
    response = secretariat_client.post(URL, {"source": gone.pk, "target": source.pk})
    assert "source" in response.context["form"].errors
    # Merged organisations are not even offered.
    assert f'value="{gone.pk}"' not in secretariat_client.get(URL).content.decode()


def test_service_refuses_bad_merges(secretariat, pair):
    source, target = pair
    with pytest.raises(ValidationError):
        operations.merge_organisations(actor=secretariat, source=source, target=source)
    operations.merge_organisations(actor=secretariat, source=source, target=target)
    with pytest.raises(ValidationError):
        operations.merge_organisations(actor=secretariat, source=target, target=source)


def test_merge_steps_of_other_apps_run_in_the_transaction(secretariat, pair, monkeypatch):
    source, target = pair
    calls = []
    monkeypatch.setattr(operations, "MERGE_STEPS", [])
    operations.register_merge_step(lambda s, t: calls.append((s.pk, t.pk)))
    operations.merge_organisations(actor=secretariat, source=source, target=target)
    assert calls == [(source.pk, target.pk)]

    def failing(s, t):
        raise RuntimeError("boom")

    other = OrganisationFactory()
    operations.register_merge_step(failing)
    with pytest.raises(RuntimeError):
        operations.merge_organisations(actor=secretariat, source=other, target=target)
    other.refresh_from_db()
    assert other.merged_into is None  # rolled back


def test_earlier_merges_follow_to_the_new_target(secretariat, pair):
    source, target = pair
    older = OrganisationFactory(merged_into=source)
    operations.merge_organisations(actor=secretariat, source=source, target=target)
    older.refresh_from_db()
    assert older.merged_into == target
