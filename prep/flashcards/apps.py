from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "prep.flashcards"
    label = "flashcards"
