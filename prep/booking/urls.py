from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("", views.home, name="home"),
    path("availability/", views.availability, name="availability"),
    path("availability/<int:pk>/delete/", views.window_delete, name="window_delete"),
    path("slots/", views.slots, name="slots"),
    path("match/", views.match, name="match"),
    path("slots/<int:pk>/book/", views.slot_book, name="slot_book"),
    path("p/<str:token>/", views.peer, name="peer"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/link/", views.link_regenerate, name="link_regenerate"),
    path("blocks/<int:pk>/delete/", views.unblock, name="unblock"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invite.ics", views.invite_ics, name="invite_ics"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/no-show/", views.no_show, name="no_show"),
    path("<int:pk>/block/", views.block, name="block"),
]
