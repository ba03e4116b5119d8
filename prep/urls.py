from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from curriculum import views as curriculum_views
from prep.capture.api import api as capture_api
from prep.dashboard import views as dashboard_views
from prep.lib import views as lib_views

# The admin signs in through the site's own sign-in, with its rate limits (and 2FA); its
# own login form, which had none, only redirects there.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", lib_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("prep.accounts.urls")),
    path("dashboard/", include("prep.dashboard.urls")),
    path("plan/", include("curriculum.urls")),
    path("calendar/<str:token>.ics", curriculum_views.calendar_feed, name="calendar_feed"),
    path("drills/", include("prep.drills.urls")),
    path("ml-coding/", include("prep.judge.urls")),
    path("flashcards/", include("prep.flashcards.urls")),
    path("memory/", include("prep.memory.urls")),
    path("mocks/", include("prep.mocks.urls")),
    path("behavioral/", include("prep.behavioral.urls")),
    path("booking/", include("prep.booking.urls")),
    path("transcripts/", include("prep.transcripts.urls")),
    path("capture/", include("prep.capture.urls")),
    path("api/v1/", capture_api.urls),
    path("admin/", admin.site.urls),
]
