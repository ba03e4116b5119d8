from django.apps import AppConfig


class JudgeConfig(AppConfig):
    name = "prep.judge"
    label = "judge"
    verbose_name = "ML coding judge"

    def ready(self):
        from prep.lib.content import register_loader
        from prep.memory.registry import register_source

        from . import catalogue, services

        register_loader("judge", catalogue.load, order=35)
        register_source(services.RESOLVES.source())
