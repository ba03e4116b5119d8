from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "prep.drills"
    label = "drills"
    verbose_name = "Coding drills"

    def ready(self):
        from prep.lib.content import register_loader
        from prep.memory.registry import register_source

        from . import catalogue, services

        register_loader("drills", catalogue.load, order=30)
        register_source(services.RESOLVES.source())
