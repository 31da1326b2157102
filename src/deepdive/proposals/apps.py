from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "deepdive.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from deepdive.directory.operations import register_merge_step

        from .operations import move_to_merged_organisation

        register_merge_step(move_to_merged_organisation)
