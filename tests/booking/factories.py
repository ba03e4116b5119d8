from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from prep.booking.models import Slot, Window
from tests.factories import UserFactory


def verify(user):
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def in_days(days: int, hour: int = 15) -> dt.datetime:
    """A whole hour ``days`` from now, in UTC."""
    base = timezone.now().astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return base.replace(hour=hour) + dt.timedelta(days=days)


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    host = factory.SubFactory(UserFactory)
    kind = "ml_system_design"
    starts_at = factory.LazyFunction(lambda: in_days(3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=60))
    offers_swap = True
    listed = True


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    user = factory.SubFactory(UserFactory)
    kind = "ml_system_design"
    weekday = 1
    start_time = dt.time(18)
    end_time = dt.time(21)
    timezone = "UTC"
    minutes = 60
