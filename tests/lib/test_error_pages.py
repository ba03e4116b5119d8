import pytest
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("boom/", broken)]


@pytest.mark.urls("tests.lib.test_error_pages")
def test_a_server_error_renders_the_styled_500_without_a_stack_trace(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Prep" in html
    assert "secret internals" not in html and "Traceback" not in html
