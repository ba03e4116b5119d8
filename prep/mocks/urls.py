from django.urls import path

from . import views

app_name = "mocks"

urlpatterns = [
    path("", views.prompt_list, name="prompt_list"),
    path("history/", views.history, name="history"),
    path("designs/", views.design_list, name="design_list"),
    path("designs/<slug:slug>/", views.design_detail, name="design_detail"),
    path("prompts/<slug:slug>/", views.prompt_detail, name="prompt_detail"),
    path("prompts/<slug:slug>/start/", views.solo_start, name="solo_start"),
    path("solo/<int:pk>/", views.solo_detail, name="solo_detail"),
    path("solo/<int:pk>/advance/", views.solo_advance, name="solo_advance"),
    path("solo/<int:pk>/minutes/", views.solo_minutes, name="solo_minutes"),
    path("solo/<int:pk>/notes/<slug:phase>/", views.note_save, name="note_save"),
    path("solo/<int:pk>/score/", views.solo_score, name="solo_score"),
    path("solo/<int:pk>/delete/", views.solo_delete, name="solo_delete"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
]
