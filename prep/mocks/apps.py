from django.apps import AppConfig


class MocksConfig(AppConfig):
    name = "prep.mocks"
    label = "mocks"
