from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "prep.accounts"
    label = "accounts"

    def ready(self):
        from allauth.account.signals import user_signed_up

        from . import security, services  # noqa: F401 - security connects its receivers

        def on_signup(sender, request, user, **kwargs):
            services.user_signed_up(user=user)
            # Signing up is a sign-in: it counts as a recent one (prep/accounts/security.py).
            from allauth.account.internal.flows.login import record_authentication

            record_authentication(request, user, method="password", signup=True)

        user_signed_up.connect(on_signup, weak=False, dispatch_uid="prep.accounts.on_signup")
