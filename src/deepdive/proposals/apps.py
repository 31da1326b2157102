from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "deepdive.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from deepdive.accounts.operations import register_after_verified
        from deepdive.directory.operations import register_merge_step
        from deepdive.series.queries import register_propose_check

        from .access import can_propose
        from .operations import ask_once_a_contact_is_verified, move_to_merged_organisation

        register_merge_step(move_to_merged_organisation)
        register_after_verified(ask_once_a_contact_is_verified)
        register_propose_check(can_propose)
