import pytest
from django.contrib.auth.models import AnonymousUser

from deepdive.accounts.queries import can_act_for, verified_organisations
from deepdive.directory.models import Affiliation

from .factories import AffiliationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_verified_member_contacts_act_for_an_organisation():
    user = UserFactory()
    member = OrganisationFactory()
    not_member = OrganisationFactory(is_member=False)
    pending = OrganisationFactory()
    rejected = OrganisationFactory()
    merged = OrganisationFactory(merged_into=member)
    for organisation in (member, not_member, merged):
        AffiliationFactory(user=user, organisation=organisation, status="verified")
    AffiliationFactory(user=user, organisation=pending)
    AffiliationFactory(user=user, organisation=rejected, status=Affiliation.Status.REJECTED)

    assert can_act_for(user, member)
    assert not can_act_for(user, not_member)
    assert not can_act_for(user, pending)
    assert not can_act_for(user, rejected)
    assert not can_act_for(user, merged)
    assert not can_act_for(UserFactory(), member)
    assert not can_act_for(AnonymousUser(), member)
    user.is_active = False
    assert not can_act_for(user, member)

    assert list(verified_organisations(user)) == sorted([member, not_member], key=lambda o: o.name)
    assert not verified_organisations(AnonymousUser()).exists()
