from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    name = "prep.transcripts"
    label = "transcripts"

    def ready(self):
        from prep.lib.content import register_seeder

        from . import demo

        register_seeder("transcripts", demo.seed, order=95)
