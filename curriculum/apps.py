from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "curriculum"
    label = "curriculum"
    verbose_name = "Curriculum"

    def ready(self):
        # prep.lib is a helper library (no models, no app logic): registering with it keeps
        # the load_content command free of app imports and curriculum free of app imports.
        from prep.lib.content import register_loader

        from . import catalogue

        register_loader("curriculum", catalogue.load_modules, order=10)
