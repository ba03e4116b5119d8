"""The site's URLs plus the capture API and pages, for tests until prep/urls.py mounts them."""

from tooling.bench.capture_urls import urlpatterns  # noqa: F401
