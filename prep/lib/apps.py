from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "prep.lib"
    label = "lib"
