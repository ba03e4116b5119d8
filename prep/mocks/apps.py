from django.apps import AppConfig


class MocksConfig(AppConfig):
    name = "prep.mocks"
    label = "mocks"
    verbose_name = "Mocks"

    def ready(self):
        from prep.lib.content import register_loader

        from . import designs, loader

        register_loader("mocks", loader.load, order=30)
        register_loader("designs", designs.load_designs, order=31)
