from django.urls import path

from . import views

app_name = "curriculum"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("all/", views.plan_all, name="plan_all"),
    path("items/<int:pk>/checklist/", views.item_checklist, name="item_checklist"),
    path("items/<int:pk>/<slug:action>/", views.item_action, name="item_action"),
    path("days/", views.day_off, name="day_off"),
    path("notice/dismiss/", views.notice_dismiss, name="notice_dismiss"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
]
