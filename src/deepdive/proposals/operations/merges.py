"""What a merge of two organisations of the directory does to proposals."""

from __future__ import annotations

from deepdive.directory.models import Organisation

from ..models import CoSubmitter, Proposal


def move_to_merged_organisation(source: Organisation, target: Organisation) -> None:
    """A merge step of the directory: proposals of ``source`` now belong to ``target``.

    Side effects: Proposal.lead_organisation and CoSubmitter.organisation rows updated; a
    co-submission of ``target`` to its own proposal, or a second one to the same proposal, is
    dropped.
    """
    Proposal.objects.filter(lead_organisation=source).update(lead_organisation=target)
    for co in CoSubmitter.objects.filter(organisation=source).select_related("proposal"):
        duplicate = (
            co.proposal.lead_organisation_id == target.pk
            or CoSubmitter.objects.filter(proposal=co.proposal, organisation=target).exists()
        )
        if duplicate:
            co.delete()
        else:
            co.organisation = target
            co.save(update_fields=["organisation"])
