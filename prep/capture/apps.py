from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "prep.capture"
    label = "capture"
    verbose_name = "Capture"
