from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "deepdive.dashboard"
    label = "dashboard"
