"""What the rules refuse: one base class, ``ProposalError`` (a ``core.refusals.Refused``),
whose ``message`` is for the person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deepdive.core import audit
from deepdive.core.refusals import Refused
from deepdive.core.timezones import moment_text
from deepdive.series.models import Call

from ..models import Proposal


class ProposalError(Refused):
    """A write the rules refuse; ``message`` is for the person (by default the class's)."""

    message: Any = ""

    def __init__(
        self, message: Any = "", *, errors: dict[str | None, list[str]] | None = None
    ) -> None:
        super().__init__(message or type(self).message, errors=errors)


class NotAllowed(ProposalError):
    message = _("You may not change this proposal.")


class DeadlinePassed(ProposalError):
    def __init__(self, call: Call, moment: datetime | None = None):
        self.call = call
        if (moment or timezone.now()) < call.opens_at:
            message = _("The call opens on %(when)s.") % {
                "when": moment_text(call.opens_at, call.timezone)
            }
        else:
            message = _(
                "The call closed on %(when)s. Proposals can no longer be changed; what was saved "
                "before is kept."
            ) % {"when": moment_text(call.closes_at, call.timezone)}
        super().__init__(message)


class StaleVersion(ProposalError):
    """The form was opened at an older version: someone saved the proposal meanwhile."""

    def __init__(self, proposal: Proposal):
        self.proposal = proposal
        last = audit.history(proposal).first()
        self.saved_at = last.at if last else proposal.updated_at
        self.saved_by = str(last.actor) if last and last.actor else ""
        super().__init__(
            _(
                "Someone else saved this proposal at %(time)s (%(name)s); your changes were not "
                "saved."
            )
            % {
                "time": timezone.localtime(self.saved_at).strftime("%H:%M"),
                "name": self.saved_by or _("unknown"),
            }
        )


class Incomplete(ProposalError):
    """Submitting needs more: ``problems`` is {field: [messages]}."""

    message = _("The proposal cannot be submitted yet: complete the fields marked below.")

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__(errors={name: texts for name, texts in problems.items()})


class NotWaiting(ProposalError):
    message = _("This proposal is not waiting for your organisation's decision.")
