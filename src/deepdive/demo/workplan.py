"""The workplan Outputs the demo's webinars serve, so that the workplan coverage report has
something to show: each webinar of the series that names no Output yet gets the first Output of
each Outcome its proposal names, set by the secretariat through the webinars' service."""

from django.db.models import Prefetch

from deepdive.accounts.models import User
from deepdive.reference.models import Output
from deepdive.series.models import Series
from deepdive.webinars import workplan
from deepdive.webinars.models import Webinar

from .workspaces import SECRETARIAT


def link_outputs(*, series: Series) -> int:
    """Returns how many webinars were linked (0 on a second run: a webinar that already names
    Outputs, whoever chose them, is left as it is)."""
    secretariat = User.objects.get(email=SECRETARIAT)
    webinars = (
        Webinar.objects.filter(proposal__call__series=series, outputs__isnull=True)
        .select_related("proposal")
        .prefetch_related(
            Prefetch("proposal__outcomes__outputs", queryset=Output.objects.order_by("number"))
        )
        .order_by("pk")
    )
    linked = 0
    for webinar in webinars:
        first_outputs = [
            outputs[0]
            for outcome in webinar.proposal.outcomes.all()
            if (outputs := list(outcome.outputs.all()))
        ]
        if first_outputs:
            workplan.set_outputs(actor=secretariat, webinar=webinar, outputs=first_outputs)
            linked += 1
    return linked
