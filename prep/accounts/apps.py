from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "prep.accounts"
    label = "accounts"

    def ready(self):
        from allauth.account.signals import user_signed_up

        from . import security, services  # noqa: F401 - security connects its receivers

        def on_signup(sender, request, user, **kwargs):
            services.user_signed_up(user=user)

        user_signed_up.connect(on_signup, weak=False, dispatch_uid="prep.accounts.on_signup")
