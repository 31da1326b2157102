"""The demo's communications (issue 14): a communications officer for each member organisation
of the series' Action Group, in their own language (English, French or Spanish) and zone
(UTC−6 to UTC+12), so that the secretariat's invitation to "The members of one Action Group:
Supply Chains" shows each person's own words and time; and one invitation campaign sent
earlier, so that the campaigns page shows one done, with its progress.

The campaign goes through the services the pages use (``communications.campaigns``: drafted,
then sent) and the outbox: its e-mails leave with the demo's other e-mails, through the task
worker, into the demo's mail files.
"""

from deepdive.accounts.models import User
from deepdive.communications import audiences, campaigns
from deepdive.communications.models import Campaign
from deepdive.directory.models import Affiliation, Organisation
from deepdive.series.models import Series

from .data import COMMUNICATIONS_OFFICERS
from .workspaces import SECRETARIAT, AccountMaker

POSITION = "Communications officer"
# The earlier campaign: the workers' organisations, invited to the next webinar.
EARLIER_AUDIENCE = (audiences.PARTNER_TYPE, "workers_organisation")


def officer_email(organisation: Organisation) -> str:
    """The communications officer's address, at the organisation's own domain."""
    return f"communications@{organisation.domains.values_list('domain', flat=True)[0]}"


def add_communications_officers(*, password: str, account: AccountMaker) -> int:
    """Give each organisation of ``COMMUNICATIONS_OFFICERS`` its communications officer (a
    verified contact) once; returns how many were created."""
    created = 0
    for name, person, zone, language in COMMUNICATIONS_OFFICERS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:  # a directory edited on the demo: nothing to add to
            continue
        email = officer_email(organisation)
        if account(email, person, name, zone, language, password):
            Affiliation.objects.filter(user__email=email).update(position=POSITION)
            created += 1
    return created


def send_earlier_invitation(*, series: Series) -> int:
    """Once, when the series has no invitation campaign yet: invite the workers'
    organisations of the directory to the series' next webinar and send it at once (fewer
    people than a minute's pace: every message is released, the campaign is done). Returns 1
    when it was sent, 0 when the series already had an invitation campaign or has no webinar
    to come.

    Call it after the demo's cancellations: a campaign must not invite to a webinar the demo
    then cancels."""
    # The newsletter issue's campaign does not count: the invitation is its own.
    invited = Campaign.objects.filter(series=series, issue__isnull=True).exists()
    if invited or not campaigns.upcoming(series):
        return 0
    secretariat = User.objects.get(email=SECRETARIAT)
    kind, value = EARLIER_AUDIENCE
    campaign, _drafted = campaigns.draft_campaign(
        actor=secretariat,
        series=series,
        webinar=campaigns.upcoming(series)[0],
        audience=audiences.Audience(series_id=series.pk, kind=kind, value=value),
    )
    campaigns.start_sending(actor=secretariat, campaign=campaign)
    return 1
