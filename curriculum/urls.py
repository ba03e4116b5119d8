from django.urls import path

from . import views

app_name = "curriculum"

urlpatterns = [
    path("", views.plan, name="plan"),
]
