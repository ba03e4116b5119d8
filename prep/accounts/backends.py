"""Authentication backends: Django's and allauth's, loading the user with their profile.

Every signed-in request needs both (the onboarding middleware reads the profile, and most
pages its timezone and role), so one joined query replaces two on every request. The same
query says whether the user has a verified email address (``email_verified``: every page's
banner asks, prep.accounts.context_processors), as a subquery instead of a query of its own.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef


class _WithProfile:
    def get_user(self, user_id):
        users = (
            get_user_model()
            ._default_manager.select_related("profile")
            .annotate(
                email_verified=Exists(
                    EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
                )
            )
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_WithProfile, DjangoModelBackend):
    pass


class AuthenticationBackend(_WithProfile, AllauthBackend):
    pass
