from django.urls import path

from . import views

app_name = "drills"

urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/timer/", views.timer_start, name="timer_start"),
    path("problems/<int:pk>/timer/discard/", views.timer_discard, name="timer_discard"),
    path("problems/<int:pk>/attempts/", views.attempt_create, name="attempt_create"),
    path("attempts/", views.attempt_list, name="attempt_list"),
    path("attempts/export.csv", views.attempts_export, name="attempts_export"),
    path("attempts/import/", views.attempts_import, name="attempts_import"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("attempts/<int:pk>/delete/", views.attempt_delete, name="attempt_delete"),
    path("resolve/", views.resolve_list, name="resolve_list"),
    path("coverage/", views.coverage, name="coverage"),
]
