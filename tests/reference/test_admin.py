import pytest
from django.urls import reverse

from deepdive.reference import models

pytestmark = pytest.mark.django_db

MODELS = [
    models.ActionGroup,
    models.Outcome,
    models.Output,
    models.Criterion,
    models.Theme,
    models.Sector,
    models.PartnerType,
    models.Country,
    models.PathfinderCountry,
]


@pytest.fixture
def admin_client_(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        email="admin@example.org", password="a-long-test-password"
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_and_change_pages(admin_client_, reference_data, model):
    opts = model._meta
    response = admin_client_.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model.objects.first()
    response = admin_client_.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200


def test_country_filters_and_search(admin_client_, reference_data):
    url = reverse("admin:reference_country_changelist")
    response = admin_client_.get(url, {"ilo_region__exact": "arab_states"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 12
    response = admin_client_.get(url, {"q": "Jordan"})
    assert [c.code for c in response.context["cl"].result_list] == ["JO"]


def test_pathfinder_country_autocomplete(admin_client_, reference_data):
    response = admin_client_.get(
        reverse("admin:autocomplete"),
        {
            "term": "Mada",
            "app_label": "reference",
            "model_name": "pathfindercountry",
            "field_name": "country",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == ["MG"]


def test_staff_without_permission_cannot_edit(client, django_user_model, reference_data):
    user = django_user_model.objects.create_user(
        email="staff@example.org", password="a-long-test-password", is_staff=True
    )
    client.force_login(user)
    response = client.get(reverse("admin:reference_country_changelist"))
    assert response.status_code == 403
