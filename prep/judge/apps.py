from django.apps import AppConfig


class JudgeConfig(AppConfig):
    name = "prep.judge"
    label = "judge"
    verbose_name = "ML coding judge"

    def ready(self):
        from prep.lib.content import register_loader

        from . import catalogue

        register_loader("judge", catalogue.load, order=35)
