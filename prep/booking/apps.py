from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "prep.booking"
    label = "booking"
    verbose_name = "Booking"

    # Booking has no catalogue content of its own (prompts and rubrics are the mocks app's),
    # so it registers no loader; its demo builder is tooling/demo/booking.py.

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        pre_delete.connect(
            _on_account_delete, sender=get_user_model(), dispatch_uid="booking-account-delete"
        )


def _on_account_delete(sender, instance, **kwargs):
    from .services import bookings_on_account_delete

    bookings_on_account_delete(user=instance)
