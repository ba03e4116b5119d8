from django.urls import path

from . import views

app_name = "flashcards"

urlpatterns = [
    path("", views.index, name="home"),
    path("review/", views.review, name="review"),
    path("review/<int:state_id>/answer/", views.answer, name="answer"),
    path("review/undo/", views.undo, name="undo"),
    path("cards/", views.card_list, name="card_list"),
    path("cards/new/", views.card_create, name="card_create"),
    path("cards/<int:pk>/", views.card_detail, name="card_detail"),
    path("cards/<int:pk>/edit/", views.card_edit, name="card_edit"),
    path("cards/<int:pk>/delete/", views.card_delete, name="card_delete"),
    path("cards/<int:pk>/suspend/", views.card_suspend, name="card_suspend"),
    path("decks/new/", views.deck_create, name="deck_create"),
    path("import/", views.import_cards, name="import"),
    path("import/anki/", views.import_anki, name="import_anki"),
    path("export/", views.export_cards, name="export"),
    path("stats/", views.stats, name="stats"),
    path("settings/", views.study_settings, name="study_settings"),
    path("settings/workload/", views.workload, name="workload"),
]
