from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "prep.flashcards"
    label = "flashcards"
    verbose_name = "Flashcards"

    def ready(self):
        from prep.lib.content import register_loader
        from prep.memory.registry import register_source

        from . import content, memory

        register_loader("flashcards", content.load_decks, order=30)
        register_source(memory.SOURCE)
