from django.urls import path

from . import views

app_name = "memory"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/optimise/", views.optimise, name="optimise"),
    path("runs/<int:pk>/", views.run_status, name="run"),
    path("runs/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<slug:kind>/restore/<int:number>/", views.restore, name="restore"),
    path("<slug:kind>/nightly/", views.nightly, name="nightly"),
    path("<slug:kind>/reschedule/", views.reschedule, name="reschedule"),
]
