from django.apps import AppConfig


class BehavioralConfig(AppConfig):
    name = "prep.behavioral"
    label = "behavioral"
    verbose_name = "Behavioural"

    def ready(self):
        from prep.lib.content import register_loader

        from . import content

        register_loader("behavioral", content.load, order=60)
