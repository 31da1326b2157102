"""The demo's webinars serve workplan Outputs, so that the workplan coverage report shows the
series against the workplan rather than only gaps."""

import pytest

from deepdive.demo.operations import load_demo
from deepdive.webinars.models import Webinar

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_each_webinar_serves_an_output_of_an_outcome_its_proposal_names_once():
    first = load_demo(password=PASSWORD)
    webinars = Webinar.objects.prefetch_related("outputs__outcome", "proposal__outcomes")

    assert first["webinars linked to workplan Outputs"] == webinars.count() > 0
    for webinar in webinars:
        outcomes = {outcome.pk for outcome in webinar.proposal.outcomes.all()}
        assert webinar.outputs.exists()
        assert {output.outcome_id for output in webinar.outputs.all()} <= outcomes
    assert load_demo(password=PASSWORD)["webinars linked to workplan Outputs"] == 0
