from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "prep.flashcards"
    label = "flashcards"
    verbose_name = "Flashcards"

    def ready(self):
        from prep.lib.content import register_loader

        from . import content

        register_loader("flashcards", content.load_decks, order=30)
