from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    name = "prep.transcripts"
    label = "transcripts"
