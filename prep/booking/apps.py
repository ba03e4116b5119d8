from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "prep.booking"
    label = "booking"
    verbose_name = "Booking"

    # Booking has no catalogue content of its own (prompts and rubrics are the mocks app's),
    # so it registers no loader; its demo builder is tooling/demo/booking.py.
