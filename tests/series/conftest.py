from datetime import datetime

import pytest

from deepdive.reference.models import ActionGroup
from deepdive.series.models import Call, Series
from deepdive.series.times import local_to_utc


@pytest.fixture
def action_group(db):
    group, _ = ActionGroup.objects.get_or_create(
        code="supply-chains", defaults={"name": "Supply Chains"}
    )
    return group


@pytest.fixture
def series(action_group):
    return Series.objects.create(
        action_group=action_group,
        slug="deep-dive-2026",
        title="Virtual deep dive series",
        description="Webinars by members.",
        languages=["en", "fr", "es"],
        colour_primary="#123456",
        colour_accent="#ABCDEF",
    )


def zurich(*args) -> datetime:
    return local_to_utc(datetime(*args), "Europe/Zurich")


@pytest.fixture
def call(series):
    return Call.objects.create(
        series=series,
        slug="2026",
        title="Call for proposals 2026",
        opens_at=zurich(2026, 9, 1, 9, 0),
        closes_at=zurich(2026, 9, 30, 23, 59),
        timezone="Europe/Zurich",
    )


@pytest.fixture
def superuser_client(client, django_user_model):
    # The admin user's own zone is New York: the call's times must not depend on it.
    user = django_user_model.objects.create_superuser(
        email="root@example.org", password="x-12345-y", timezone="America/New_York"
    )
    client.force_login(user)
    return client
