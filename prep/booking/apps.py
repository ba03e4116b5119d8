from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "prep.booking"
    label = "booking"
