"""The site's URLs plus the load test's floor page (``/_bench/floor``), for its gunicorn only."""

from django.urls import path

from prep.urls import urlpatterns as site_urlpatterns

from .views import floor

urlpatterns = [*site_urlpatterns, path("_bench/floor", floor, name="bench_floor")]
