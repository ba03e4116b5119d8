from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "prep.capture"
    label = "capture"
    verbose_name = "Capture"

    def ready(self):
        from prep.lib.content import register_seeder

        from . import demo, peers

        register_seeder("capture", demo.seed, order=90)
        peers.register_booking_lookup(peers.booking_model_lookup)
