from django.urls import path

from . import views

app_name = "transcripts"

urlpatterns = [
    path("", views.index, name="list"),
    path("upload/", views.upload, name="upload"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/export.md", views.export, name="export"),
    path("<int:pk>/export.<str:fmt>", views.export_file, name="export_file"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/unshare/", views.unshare, name="unshare"),
    path("<int:pk>/analyse/", views.reanalyse, name="reanalyse"),
    path("<int:pk>/speakers/", views.speakers, name="speakers"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/speech/delete/", views.speech_delete, name="speech_delete"),
    path("<int:pk>/segments/<int:seq>/highlight/", views.highlight, name="highlight"),
    path("<int:pk>/segments/<int:seq>/unhighlight/", views.unhighlight, name="unhighlight"),
    path("<int:pk>/segments/<int:seq>/card/", views.card_new, name="card_new"),
]
