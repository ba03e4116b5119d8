"""Prep's one settings module, configured from the environment (12-factor).

Unset DATABASE_URL means a SQLite file; unset REDIS_URL means Celery runs tasks
eagerly in-process and the cache is local memory. DEBUG is off unless set, and
with DEBUG off the site refuses to start without SECRET_KEY and turns on the
HTTPS protections unless PREP_PLAIN_HTTP is set (local demo, tests, benches).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
PLAIN_HTTP = env.bool("PREP_PLAIN_HTTP", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if (DEBUG or PLAIN_HTTP) else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "prep.lib",
    "tooling",
    "prep.accounts",
    "curriculum",
    "prep.memory",
    "prep.drills",
    "prep.flashcards",
    "prep.mocks",
    "prep.behavioral",
    "prep.booking",
    "prep.capture",
    "prep.transcripts",
    "prep.dashboard",
    "prep.judge",
]

MIDDLEWARE = [
    # First, so that its Server-Timing header covers every other middleware (SERVER_TIMING).
    "prep.lib.timing.server_timing_middleware",
    "prep.lib.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "prep.lib.text.StorableQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "prep.accounts.middleware.OnboardingMiddleware",
    "prep.accounts.middleware.TimezoneMiddleware",
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "prep.urls"
WSGI_APPLICATION = "prep.wsgi.application"
ASGI_APPLICATION = "prep.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prep.accounts.context_processors.account_state",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite, whether the embedded default or named by DATABASE_URL, always gets the settings
# that let concurrent requests queue instead of failing with "database is locked": WAL, a
# busy timeout and IMMEDIATE transactions (so a writer takes its lock before reading).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(BASE_DIR / "prep.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    if env.bool("PG_PREPARED", default=True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
    # A connection pool (psycopg_pool, Django's "pool" option) where DB_POOL_MAX_SIZE is set:
    # the stream process (uvicorn) opens hundreds of streams at once, each checked in a
    # thread of its own, and without a pool every one opened a connection until PostgreSQL
    # refused ("too many clients", a 500). With it they wait for one of a bounded few.
    if pool_max := env.int("DB_POOL_MAX_SIZE", default=0):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # pooled connections go back to the pool
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": pool_max,
            "timeout": env.float("DB_POOL_TIMEOUT", default=30.0),
        }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker, background jobs ---------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache that degrades to misses (logged) while Redis is down, so
            # sessions fall back to the database and no page fails (prep/lib/cache.py).
            "BACKEND": "prep.lib.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="prep"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Sessions read from the shared cache, written through to the database: no session query
    # on most requests, and a cache flush loses nobody's sign-in.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # A per-process cache cannot hold sessions: a sign-out in one worker would not reach the
    # others. Sessions stay in the database.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# The daily roll-forward of missed plan items: beat does it where it runs (REDIS_URL set);
# the embedded default, which has no beat, does it on the first page of the day that reads
# the plan (curriculum.plans.plan_for_reading).
PREP_ROLL_FORWARD_ON_READ = env.bool("PREP_ROLL_FORWARD_ON_READ", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="prep")
# The ML coding judge has its own queue (and its own worker service in compose), so a
# burst of submissions never delays reminders or reports.
JUDGE_QUEUE = env.str("JUDGE_QUEUE", default="judge")
CELERY_TASK_ROUTES = {"prep.judge.tasks.*": {"queue": JUDGE_QUEUE}}
JUDGE_RATE_PER_MINUTE = env.int("JUDGE_RATE_PER_MINUTE", default=10)
# Work that must finish survives a killed worker within minutes: a task is acknowledged only
# when it ends (acks_late), and Redis hands an unacknowledged one to another worker after the
# visibility timeout. It must exceed the longest task (CELERY_TASK_TIME_LIMIT) and the
# longest retry countdown (prep.lib.retry: 240 s), or tasks would be delivered twice.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# The sweeps that find stranded work sooner than that (beat's cadence, in seconds), and how
# long a transcript may stay "processing" before the sweep queues it again (longer than
# CELERY_TASK_TIME_LIMIT, so a running analysis is not doubled).
TRANSCRIPT_SWEEP_SECONDS = env.float("TRANSCRIPT_SWEEP_SECONDS", default=60.0)
TRANSCRIPT_STUCK_AFTER_SECONDS = env.int("TRANSCRIPT_STUCK_AFTER_SECONDS", default=180)
REMINDER_SWEEP_SECONDS = env.float("REMINDER_SWEEP_SECONDS", default=60.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request never waits long on a dead broker: one quick retry, then the task is kept
# in the outbox table (prep/lib/outbox.py) and sent by beat's drain when the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
OUTBOX_DRAIN_SECONDS = env.float("OUTBOX_DRAIN_SECONDS", default=60.0)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "lib-outbox-drain": {"task": "prep.lib.tasks.outbox_drain", "schedule": OUTBOX_DRAIN_SECONDS},
    # Hourly, so that each timezone's "night" is covered; plans already current are skipped.
    "curriculum-replan-missed": {"task": "curriculum.tasks.replan_missed", "schedule": 3600.0},
    # Reminders are found in the database (never long countdowns in the broker).
    "booking-reminders-sweep": {
        "task": "prep.booking.tasks.reminders_sweep",
        "schedule": REMINDER_SWEEP_SECONDS,
    },
    "booking-slots-extend": {"task": "prep.booking.tasks.slots_extend", "schedule": 86400.0},
    "dashboard-review-load": {"task": "prep.dashboard.tasks.review_load_all", "schedule": 86400.0},
    # Re-optimise FSRS parameters for users who consented (adopted only when strictly better).
    "memory-nightly-optimise": {"task": "prep.memory.tasks.nightly_optimise", "schedule": 86400.0},
    # Submissions a lost judge worker left behind go back on the judge queue.
    "judge-requeue-stuck": {"task": "prep.judge.tasks.judge_requeue_stuck", "schedule": 120.0},
    # A worker killed mid-analysis leaves a transcript "processing": run it again.
    "transcripts-reprocess-stuck": {
        "task": "prep.transcripts.tasks.transcripts_reprocess_stuck",
        "schedule": TRANSCRIPT_SWEEP_SECONDS,
    },
}

# --- Auth and accounts (django-allauth) -----------------------------------------
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, each loading the profile with the user (one query, not two).
    "prep.accounts.backends.ModelBackend",
    "prep.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "prep.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Prep] "
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:today"
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:onboarding"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Behind N reverse proxies that append to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N: the
# sign-in, sign-up and API limits then count per real client, not per proxy. 0 (default):
# REMOTE_ADDR is the client, and X-Forwarded-For is ignored (it could be forged).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
PREP_API_ANON_RATE_PER_MINUTE = env.int("API_ANON_RATE_PER_MINUTE", default=60)
# Account security: two-factor (TOTP with recovery codes), a list of one's sessions with
# "sign out everywhere else", email notices (password change: allauth's; new sign-in and new
# API token: prep/accounts/security.py), and a sign-in within REAUTHENTICATION_TIMEOUT
# seconds before deleting the account or creating an API token.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Prep"
# Sessions are recorded at sign-in; tracking each request's activity would cost a write per
# page (and break the pinned query counts).
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/30m/key,20/5m/ip",
    "signup": "20/h/ip",
    "reset_password": "10/h/ip,5/h/key",
}

# --- Email ---------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Prep <noreply@prep.localhost>")

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=False)
if WHITENOISE_USE_FINDERS:
    # Served from the app and project static folders; no collectstatic output is expected.
    warnings.filterwarnings("ignore", message="No directory at")

# --- Security ------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not PLAIN_HTTP:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging ---------------------------------------------------------------------------
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if (DEBUG or PLAIN_HTTP) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "prep.lib.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "prep.lib.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT if LOG_FORMAT in ("json", "text") else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Error reporting: set SENTRY_DSN (and install sentry-sdk) to send errors to Sentry.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0.0)

# --- Prep ------------------------------------------------------------------------------
# Requests per minute per API token on the capture API (429 beyond; RateLimit-* headers).
PREP_CAPTURE_RATE_PER_MINUTE = env.int("PREP_CAPTURE_RATE_PER_MINUTE", default=600)
PREP_CALENDAR_TOKEN_SALT = env.str("PREP_CALENDAR_TOKEN_SALT", default="prep.calendar")

# Server time per request (app, CPU, database ms and query count) in a Server-Timing header
# (prep/lib/timing.py): on with DEBUG, and where SERVER_TIMING is set (the load test reads it).
SERVER_TIMING = env.bool("SERVER_TIMING", default=DEBUG)

# --- Live event streams (prep/capture/stream.py) -------------------------------------------
PREP_STREAM_HEARTBEAT = env.float("PREP_STREAM_HEARTBEAT", default=15.0)
PREP_STREAM_MAX_SECONDS = env.float("PREP_STREAM_MAX_SECONDS", default=300.0)
