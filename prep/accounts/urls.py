from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("settings/", views.profile, name="profile"),
    path("settings/export/", views.data_export, name="data_export"),
    path("settings/delete/", views.account_delete, name="delete"),
]

from . import views_tokens  # noqa: E402

urlpatterns += [
    path("settings/tokens/", views_tokens.api_tokens, name="api_tokens"),
    path(
        "settings/tokens/<int:pk>/revoke/",
        views_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
