from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "prep.capture"
    label = "capture"
    verbose_name = "Capture"

    def ready(self):
        from . import peers

        peers.register_booking_lookup(peers.booking_model_lookup)
