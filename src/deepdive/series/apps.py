from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeriesConfig(AppConfig):
    name = "deepdive.series"
    label = "series"
    verbose_name = _("Series")
