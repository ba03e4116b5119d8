from django.urls import path

from . import views

app_name = "judge"

urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("problems/<slug:slug>/", views.problem_detail, name="problem_detail"),
    path("problems/<slug:slug>/submit/", views.submission_create, name="submission_create"),
    path("problems/<slug:slug>/hints/<int:index>/", views.hint_reveal, name="hint_reveal"),
    path("submissions/<int:pk>/", views.submission_status, name="submission_status"),
]
