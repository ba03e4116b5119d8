from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone as dj_timezone

from prep.accounts.models import Profile

PASSWORD = "correct-horse-battery-staple"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    role = "mle"
    interview_date = factory.LazyFunction(lambda: dj_timezone.now().date() + dt.timedelta(days=28))
    weekly_hours = 10
    weekdays = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])
    timezone = "UTC"
    onboarded_at = factory.LazyFunction(dj_timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    username = factory.LazyAttribute(lambda o: o.email.split("@")[0])
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def fresh_login(client, user):
    """Sign ``user`` in as a password sign-in just now would (allauth's authentication
    record included), so pages that need a recent sign-in accept it."""
    import time

    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
