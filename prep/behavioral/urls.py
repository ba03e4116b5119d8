from django.urls import path

from . import views

app_name = "behavioral"

urlpatterns = [
    path("", views.story_list, name="stories"),
    path("stories/new/", views.story_create, name="story_create"),
    path("stories/<int:pk>/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/delete/", views.story_delete, name="story_delete"),
    path("stories/<int:pk>/rehearse/", views.story_rehearse, name="story_rehearse"),
    path("questions/", views.question_bank, name="questions"),
    path("companies/", views.company_research, name="companies"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
]
