"""Which workplan Outputs a webinar serves: set by its hosts or the secretariat from the
workspace, counted by the insight reports (workplan coverage).

A webinar may name only Outputs of its series' Action Group's workplan: any other is refused
beside the field (``OutputsRefused``, a ``core.refusals.Refused``). One transaction, one audit
entry (``WebinarAction.OUTPUTS_SET``) when the set changed; nothing is sent.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deepdive.core import audit, changes
from deepdive.core.permissions import Actor
from deepdive.core.refusals import Refused
from deepdive.reference.models import Output

from . import queries
from .actions import WebinarAction
from .models import Webinar


class OutputsRefused(Refused):
    """An Output named is not in the workplan of the series' Action Group."""


def workplan_outputs(webinar: Webinar) -> QuerySet[Output]:
    """The Outputs a webinar may name: those of its series' Action Group, in workplan order."""
    return (
        Output.objects.filter(outcome__action_group_id=webinar.call.series.action_group_id)
        .select_related("outcome")
        .order_by("outcome__number", "number")
    )


def set_outputs(*, actor: Actor | None, webinar: Webinar, outputs: Iterable[Output]) -> Webinar:
    """Make ``outputs`` the workplan Outputs ``webinar`` serves.

    Refuses: ``PermissionDenied`` unless ``actor`` is a host of the webinar or of the
    secretariat; ``OutputsRefused`` (field ``outputs``) for an Output outside the series'
    Action Group. Records one audit entry when the set changed. Side effects: none."""
    if not queries.hosts_or_secretariat(actor, webinar):
        raise PermissionDenied
    wanted = {output.pk for output in outputs}
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        allowed = set(workplan_outputs(webinar).values_list("pk", flat=True))
        if wanted - allowed:
            raise OutputsRefused(
                errors={
                    "outputs": [_("Choose Outputs of this series' workplan only.")],
                }
            )
        before = sorted(webinar.outputs.values_list("pk", flat=True))
        after = sorted(wanted)
        if before != after:
            webinar.outputs.set(after)
            chosen = Output.objects.filter(pk__in=after).select_related("outcome")
            names = [
                f"{o.outcome.number}.{o.number}"
                for o in chosen.order_by("outcome__number", "number")
            ]
            audit.record(
                actor=actor,
                action=WebinarAction.OUTPUTS_SET,
                subject=webinar,
                summary=f"Workplan Outputs of “{webinar.title}”: {', '.join(names) or 'none'}",
                changes={"outputs": [before, after]},
            )
    return webinar
