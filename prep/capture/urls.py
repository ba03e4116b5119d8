from django.urls import path

from . import views

app_name = "capture"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("sessions/<int:pk>/", views.live, name="live"),
    path("sessions/<int:pk>/end/", views.end, name="end"),
    path("consent/<int:booking_id>/", views.consent, name="consent"),
]
