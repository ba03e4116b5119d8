from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "prep.booking"
    label = "booking"
    verbose_name = "Booking"

    def ready(self):
        from prep.lib.content import register_seeder

        from . import demo

        # Booking has no catalogue content of its own (prompts and rubrics are the mocks
        # app's), so it registers no loader; demo users get availability and history.
        register_seeder("booking", demo.seed, order=40)
