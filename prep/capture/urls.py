from django.urls import path

from . import views, views_live

app_name = "capture"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("overlay-protocol/", views.protocol, name="protocol"),
    path("sessions/<int:pk>/", views.live, name="live"),
    path("sessions/<int:pk>/end/", views.end, name="end"),
    path("sessions/<int:pk>/events", views_live.events, name="events"),
    path("sessions/<int:pk>/overlay/", views_live.overlay, name="overlay"),
    path("sessions/<int:pk>/overlay/pin/", views_live.overlay_pin, name="overlay_pin"),
    path("sessions/<int:pk>/overlay/undo/", views_live.overlay_undo, name="overlay_undo"),
    path(
        "sessions/<int:pk>/overlay/next-phase/",
        views_live.overlay_next_phase,
        name="overlay_next_phase",
    ),
    path("sessions/<int:pk>/speech/", views_live.speech, name="speech"),
    path("consent/<int:booking_id>/", views.consent, name="consent"),
]
