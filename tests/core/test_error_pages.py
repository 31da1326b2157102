"""403, 404 and 500 in the site's layout and the reader's language, saying why and the way on."""

import pytest
from django.test import Client
from django.urls import reverse

from deepdive.directory.models import Affiliation
from tests.directory.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import CallFactory

pytestmark = pytest.mark.django_db

MAIN_NAV = '<nav aria-label="Principal">'  # the navigation landmark, in French


def french(client):
    client.cookies["django_language"] = "fr"
    return client


def in_the_layout_in_french(page: str) -> None:
    assert '<html lang="fr"' in page
    assert '<header class="site-header">' in page and '<main id="main"' in page
    assert "Annuaire des partenaires" in page  # the main navigation, translated


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_a_member_whose_affiliation_is_pending_is_told_so_on_the_403(client, reference_data):
    call = CallFactory()
    organisation = OrganisationFactory(
        name="Lake Tea Union", is_member=True, action_groups=[call.series.action_group]
    )
    affiliation = AffiliationFactory(organisation=organisation, status=Affiliation.Status.PENDING)
    client.force_login(affiliation.user)
    response = french(client).get(reverse("proposals:new", kwargs={"call_id": call.pk}))
    assert response.status_code == 403
    page = response.text
    in_the_layout_in_french(page)
    assert "Lake Tea Union" in page
    assert "awaits verification by the secretariat" in page or "attente" in page
    assert f'href="{reverse("core:dashboard")}"' in page  # the way on: their page


def test_the_403_of_a_secretariat_page_says_it_is_for_the_secretariat(client):
    client.force_login(UserFactory())
    response = client.get(reverse("core:manage"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert '<html lang="fr"' in response.text and "Annuaire des partenaires" in response.text
    assert "secretariat" in response.text.lower() or "secrétariat" in response.text.lower()


def test_an_anonymous_403_offers_to_log_in(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from deepdive.dashboard.views import permission_denied

    request = rf.get("/somewhere/private/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "/accounts/login/?next=%2Fsomewhere%2Fprivate%2F" in response.content.decode()


def test_the_404_is_in_the_layout_and_the_language_with_search_and_programmes(
    client, reference_data
):
    call = CallFactory(series__title="Virtual deep dive series")
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    page = response.text
    in_the_layout_in_french(page)
    assert MAIN_NAV in page
    assert f'action="{reverse("directory:list")}"' in page and 'name="q"' in page
    assert f'href="{call.series.get_absolute_url()}#programme"' in page
    assert f'href="{reverse("core:home")}"' in page


def test_the_500_is_styled_like_the_site_and_needs_no_database(settings):
    settings.ROOT_URLCONF = "tests.core.urls_failing"
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "fr"
    response = client.get("/fail/")
    assert response.status_code == 500
    page = response.content.decode()
    in_the_layout_in_french(page)
    assert "/static/css/deepdive.css" in page
    assert 'href="/"' in page
