from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "deepdive.webinars"
    label = "webinars"
    verbose_name = _("Webinars")
