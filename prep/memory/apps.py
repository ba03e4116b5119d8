from django.apps import AppConfig


class MemoryConfig(AppConfig):
    name = "prep.memory"
    label = "memory"
    verbose_name = "Memory model (FSRS parameters)"
