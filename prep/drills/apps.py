from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "prep.drills"
    label = "drills"
    verbose_name = "Coding drills"

    def ready(self):
        from prep.lib.content import register_loader, register_seeder

        from . import catalogue, demo

        register_loader("drills", catalogue.load, order=30)
        register_seeder("drills", demo.seed)
