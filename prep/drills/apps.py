from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "prep.drills"
    label = "drills"
