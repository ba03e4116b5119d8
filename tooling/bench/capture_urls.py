"""The site's URLs, plus the capture API and pages if prep/urls.py does not mount them yet."""

from django.urls import include, path

from prep.capture.api import api
from prep.urls import urlpatterns as site_urlpatterns

_mounted = {getattr(p, "namespace", None) for p in site_urlpatterns}

urlpatterns = list(site_urlpatterns)
if "api-v1" not in _mounted:
    urlpatterns.append(path("api/v1/", api.urls))
if "capture" not in _mounted:
    urlpatterns.append(path("capture/", include("prep.capture.urls")))
