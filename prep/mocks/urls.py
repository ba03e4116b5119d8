from django.urls import path

from . import views

app_name = "mocks"

urlpatterns = [
    path("", views.index, name="prompt_list"),
]
