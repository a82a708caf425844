"""Django settings for Kafo.

Everything that differs between a laptop and a server comes from the environment:
KAFO_DATABASE_URL, KAFO_SECRET_KEY, KAFO_DEBUG, KAFO_ALLOWED_HOSTS, KAFO_DATA_DIR.
"""

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KAFO_DATA_DIR", BASE_DIR / "var"))


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment; on a workstation, one generated once and kept in var/."""
    if key := os.environ.get("KAFO_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("KAFO_DEBUG")
ALLOWED_HOSTS = os.environ.get("KAFO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("KAFO_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "kafo.web",
    "kafo.geo",
    "kafo.actors",
    "kafo.security",
    "kafo.mineaction",
    "kafo.response",
    "kafo.currencies",
    "kafo.funding",
    "kafo.commitments",
    "kafo.communities",
    "kafo.meetings",
    "kafo.library",
    "kafo.interop",
    "kafo.intake",
    "kafo.reports",
    "kafo.coordination",
    "kafo.api",
    "kafo.tasks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "kafo.web.middleware.RequestLogMiddleware",
    # Compresses what the rest made: near the top, so that it runs last on the way out.
    "kafo.web.middleware.TextCompressionMiddleware",
    "kafo.web.middleware.MapLayerPrecisionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kafo.security.headers.SecurityHeadersMiddleware",
    "kafo.security.requests.RefuseUnusableParametersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kafo.web.middleware.WaitForDatabaseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kafo.security.audit.AuditMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kafo.security.accounts.SessionLimitMiddleware",
    "kafo.security.accounts.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kafo.web.offline.OfflineCopyMiddleware",
    "kafo.security.download_sizes.DownloadSizeMiddleware",
]

ROOT_URLCONF = "kafo.urls"
WSGI_APPLICATION = "kafo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kafo.web.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("KAFO_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kafo.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several readers and one writer without "database is locked" under the WSGI threads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The cache (the per-user limits of heavy work) is a table of the database, so that every
# web process, on every machine, counts the same (created by `kafo migrate`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kafo_cache",
    }
}
# The analyses' answers kept per version of the data (kafo/coordination/cache.py).
KAFO_ANALYSIS_CACHE = _env_flag("KAFO_ANALYSIS_CACHE", True)
# A read replica of the PostgreSQL database for the analyses (DuckDB reads it), so that
# they do not load the primary; empty: the analyses read the primary.
KAFO_ANALYSIS_DATABASE_URL = os.environ.get("KAFO_ANALYSIS_DATABASE_URL", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kafo" / "locale"]
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Form values render unlocalised where browsers need it (ISO dates): kafo/formats.
FORMAT_MODULE_PATH = ["kafo.formats"]

STATIC_URL = "static/"
# `kafo serve` collects the static files here when they changed: hashed names, Brotli and
# gzip beside each, cached for good (kafo/web/static_storage.py).
STATIC_ROOT = os.environ.get("KAFO_STATIC_ROOT") or str(DATA_DIR / "static")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns of a missing one
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "kafo.web.static_storage.KafoStaticStorage"},
}


def _package_static(package: str) -> str:
    """The static folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"the package {package!r} is not installed: run make install")
    return str(Path(spec.submodule_search_locations[0]) / "static")


# Leaflet's files come from the django-leaflet package; its Django app itself needs
# GeoDjango, which Kafo does not use, so only its static folder is served.
STATICFILES_DIRS = [_package_static("leaflet")]
# Before a collection, files are served straight from the installed packages. No CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Roles whose devices may keep pages that show personal data offline (none by default).
KAFO_OFFLINE_PERSONAL_DATA_ROLES = [
    role for role in os.environ.get("KAFO_OFFLINE_PERSONAL_DATA_ROLES", "").split(",") if role
]

AUTHENTICATION_BACKENDS = ["kafo.security.lockout.LockoutBackend"]
KAFO_LOCKOUT_ATTEMPTS = int(os.environ.get("KAFO_LOCKOUT_ATTEMPTS", "5"))
KAFO_LOCKOUT_MINUTES = int(os.environ.get("KAFO_LOCKOUT_MINUTES", "15"))
# Roles that must log in with a TOTP code (administrators always must).
KAFO_SECOND_FACTOR_ROLES = [
    role for role in os.environ.get("KAFO_SECOND_FACTOR_ROLES", "coordinator").split(",") if role
]
OTP_TOTP_ISSUER = "Kafo"

# Sessions end after two idle hours, and twelve hours after login in any case. A session
# in use is written again once a minute, not at every request (SessionLimitMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("KAFO_SESSION_IDLE_MINUTES", "120")) * 60
SESSION_ENGINE = "kafo.security.sessions"  # database sessions that wait out a restart
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
KAFO_SESSION_MAX_HOURS = int(os.environ.get("KAFO_SESSION_MAX_HOURS", "12"))
# CPU-heavy requests (analyses, joint plans) per person: so many a minute, so many at once
# (a count of running ones is forgotten after KAFO_HEAVY_SECONDS).
KAFO_HEAVY_PER_MINUTE = int(os.environ.get("KAFO_HEAVY_PER_MINUTE", "30"))
KAFO_HEAVY_SECONDS = int(os.environ.get("KAFO_HEAVY_SECONDS", "120"))
KAFO_HEAVY_AT_ONCE = int(os.environ.get("KAFO_HEAVY_AT_ONCE", "3"))
# API tokens of the roles that must use a second factor last this long.
KAFO_API_TOKEN_HOURS = int(os.environ.get("KAFO_API_TOKEN_HOURS", "12"))
# The shared secret a field intake webhook sends (X-Kafo-Secret); empty: no webhook.
KAFO_INTAKE_WEBHOOK_SECRET = os.environ.get("KAFO_INTAKE_WEBHOOK_SECRET", "")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Error pages and admin e-mails never show restricted personal data.
DEFAULT_EXCEPTION_REPORTER_FILTER = "kafo.security.errors.RestrictedDataFilter"

# Served over HTTPS (always, in production): secure cookies, HSTS, redirect from HTTP.
KAFO_HTTPS = _env_flag("KAFO_HTTPS")
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto / -For.
KAFO_BEHIND_PROXY = _env_flag("KAFO_BEHIND_PROXY")
if KAFO_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# The proxy's address, the one whose forwarded headers `kafo serve` (waitress) trusts.
KAFO_TRUSTED_PROXY = os.environ.get("KAFO_TRUSTED_PROXY", "127.0.0.1")
if KAFO_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "kafo.web.logging.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # One line per request with its time (kafo.web.middleware); KAFO_REQUEST_LOG=0 hushes it.
    "loggers": {
        "kafo.requests": {"level": "INFO" if _env_flag("KAFO_REQUEST_LOG", True) else "WARNING"},
        "kafo.tasks": {"level": "INFO"},
    },
}
# How long a request waits for a database that does not answer (a restart) before failing.
KAFO_DATABASE_WAIT = float(os.environ.get("KAFO_DATABASE_WAIT", "10"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kafo.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kafo.api.permissions.MemberPermission"],
    "DEFAULT_PAGINATION_CLASS": "kafo.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "kafo.api.schema.KafoAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kafo API",
    "DESCRIPTION": "Mine action records, 5W activities, funding flows, needs and organisations, "
    "with the same permissions and disclosure rules as Kafo's pages. Authenticate with "
    "`Authorization: Token <key>` (`kafo api-token USER`).",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Vocabularies shared by several fields get one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "DeviceCategoryEnum": "kafo.mineaction.vocabularies.DeviceCategory",
        "YesNoUnknownEnum": "kafo.mineaction.vocabularies.YesNoUnknown",
        # Each kind's record and its field report body share these.
        "HazardStatusEnum": "kafo.mineaction.vocabularies.HazardStatus",
        "LandReleaseStatusEnum": "kafo.mineaction.vocabularies.ActivityStatus",
        "LandReleaseTypeEnum": "kafo.mineaction.vocabularies.ActivityType",
        "VictimStatusEnum": "kafo.mineaction.vocabularies.VictimStatus",
    },
}

# Uploaded import files wait here while their batch runs (then they are deleted).
# Zip-based files (XLSX, DOCX, zipped shapefiles) are refused past these caps, before any
# reader unpacks them (kafo.archives): decompression bombs.
KAFO_ZIP_MAX_BYTES = int(os.environ.get("KAFO_ZIP_MAX_BYTES", str(256 * 1024 * 1024)))
KAFO_ZIP_MAX_RATIO = int(os.environ.get("KAFO_ZIP_MAX_RATIO", "200"))
KAFO_ZIP_MAX_MEMBERS = int(os.environ.get("KAFO_ZIP_MAX_MEMBERS", "10000"))
# The good-practice library's files (kafo.library.files): the largest file, and the most
# pages of a PDF whose text is extracted for search.
KAFO_LIBRARY_MAX_BYTES = int(os.environ.get("KAFO_LIBRARY_MAX_BYTES", str(100 * 1000 * 1000)))
KAFO_LIBRARY_MAX_PAGES = int(os.environ.get("KAFO_LIBRARY_MAX_PAGES", "2000"))
KAFO_UPLOAD_DIR = Path(os.environ.get("KAFO_UPLOAD_DIR", DATA_DIR / "uploads"))
# Background work (imports, joint plans, campaigns, periodic jobs) is tasks kept in the
# database and run by `kafo worker` (docs/tasks.md). KAFO_TASKS_IMMEDIATE runs each task
# in the request that starts it instead, with no worker (tests, scripts).
KAFO_TASKS_IMMEDIATE = _env_flag("KAFO_TASKS_IMMEDIATE", False)
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if KAFO_TASKS_IMMEDIATE
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "imports", "plans", "messages", "periodic", "exports"],
    }
}
# A worker silent for this many seconds is taken for stopped: its running task is run
# again by another worker, or failed, by the task's retry policy.
KAFO_WORKER_LEASE = float(os.environ.get("KAFO_WORKER_LEASE", "60"))
# Periodic jobs: a crontab line in TIME_ZONE and a task, enqueued by one worker.
KAFO_SCHEDULE = {
    "retention": {"cron": "30 2 * * *", "task": "kafo.security.tasks.apply_retention"},
    "exports": {"cron": "15 * * * *", "task": "kafo.security.tasks.remove_old_exports"},
    "deadline-notices": {"cron": "0 7 * * *", "task": "kafo.commitments.tasks.notify_deadlines"},
    "notices": {"cron": "15 7 * * *", "task": "kafo.web.tasks.send_notices"},
    # Each minute: the analyses computed again if the data changed (cheap when it did not).
    "analyses": {"cron": "* * * * *", "task": "kafo.coordination.tasks.warm_analyses"},
    # Field intake: each source's new submissions (kafo.intake).
    "intake": {"cron": "*/15 * * * *", "task": "kafo.intake.tasks.pull_sources"},
    "intake-reconcile": {"cron": "45 1 * * *", "task": "kafo.intake.tasks.reconcile_sources"},
    # The open hazards as each ODK Central project's Entity List (cheap when none changed).
    "intake-hazards": {"cron": "5 * * * *", "task": "kafo.intake.tasks.publish_hazards"},
    # The 1st of each month: the bulletin of the month before, to those who asked for it.
    "bulletin": {"cron": "0 6 1 * *", "task": "kafo.reports.tasks.send_bulletins"},
    # Each morning: the action points overdue or due within a week, to their owners.
    "action-points": {"cron": "30 7 * * *", "task": "kafo.meetings.tasks.remind_action_points"},
    # Each morning: accreditations expiring within 60 days, to their organisations.
    "accreditations": {
        "cron": "45 7 * * *",
        "task": "kafo.actors.tasks.notify_accreditation_expiries",
    },
    # Each Monday: what is new in the library, to those who asked for it.
    "library-digest": {"cron": "0 7 * * 1", "task": "kafo.library.tasks.send_library_digest"},
}

# Uploaded files kept by Kafo (key messages' audio), served only to members by their views.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# SMS for community campaigns: console or file (nothing leaves the machine), or rapidpro
# (a RapidPro/TextIt-compatible webhook at KAFO_SMS_URL with KAFO_SMS_TOKEN).
KAFO_SMS_BACKEND = os.environ.get("KAFO_SMS_BACKEND", "console")
KAFO_SMS_FILE = os.environ.get("KAFO_SMS_FILE", str(DATA_DIR / "sms.jsonl"))
KAFO_SMS_URL = os.environ.get("KAFO_SMS_URL", "")
KAFO_SMS_TOKEN = os.environ.get("KAFO_SMS_TOKEN", "")

# Public and donor maps count records per admin unit of this level (2: cercle in Mali).
KAFO_PUBLIC_LEVEL = int(os.environ.get("KAFO_PUBLIC_LEVEL", "2"))

# A map layer shows its records one by one up to this many in the view (zoomed in to a
# cercle or closer); past it, one point per admin unit with its count (kafo.geo.viewport).
KAFO_MAP_FEATURES = int(os.environ.get("KAFO_MAP_FEATURES", "1000"))
# An export that cannot be streamed (Excel) is written by a task past this many rows, and
# kept KAFO_EXPORT_KEEP_HOURS in KAFO_EXPORT_DIR for its download.
KAFO_EXPORT_ROWS_IN_REQUEST = int(os.environ.get("KAFO_EXPORT_ROWS_IN_REQUEST", "50000"))
KAFO_EXPORT_DIR = Path(os.environ.get("KAFO_EXPORT_DIR", DATA_DIR / "exports"))
KAFO_EXPORT_KEEP_HOURS = int(os.environ.get("KAFO_EXPORT_KEEP_HOURS", "48"))

# A tile URL template for the maps' background ({z}/{x}/{y}), e.g. a tile server in the
# office. Empty by default: the maps draw the admin units only, with no internet.
KAFO_MAP_TILES = os.environ.get("KAFO_MAP_TILES", "")

# E-mail (notices, deadlines): an SMTP server when KAFO_EMAIL_HOST is set, else printed
# to the console; KAFO_BASE_URL makes the links in them.
EMAIL_HOST = os.environ.get("KAFO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("KAFO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("KAFO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KAFO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("KAFO_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("KAFO_EMAIL_FROM", "kafo@localhost")
KAFO_BASE_URL = os.environ.get("KAFO_BASE_URL", "http://localhost:8000").rstrip("/")
