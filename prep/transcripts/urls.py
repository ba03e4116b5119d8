from django.urls import path

from . import views

app_name = "transcripts"

urlpatterns = [
    path("", views.index, name="list"),
]
