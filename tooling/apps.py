from django.apps import AppConfig


class ToolingConfig(AppConfig):
    """Installed only for its management command (``seed_demo``); it has no models."""

    name = "tooling"
    label = "tooling"
    verbose_name = "Tooling (demo data, benchmarks)"
