from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "prep.dashboard"
    label = "dashboard"
