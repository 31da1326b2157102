"""Settings for Deep Dive.

One settings module for every deployment: the embedded default (SQLite under ``var/``, tasks
on the database, e-mail to files) and production (PostgreSQL, SMTP) differ only by the
``DEEPDIVE_*`` environment variables listed in the README.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from deepdive.outbox.config import delivery_settings

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("DEEPDIVE_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("DEEPDIVE_VAR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("DEEPDIVE_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("DEEPDIVE_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DEEPDIVE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
# Behind TLS (any host not on loopback) the cookies and redirects must be secure.
SECURE = _env_flag(
    "DEEPDIVE_SECURE",
    default=not DEBUG
    and not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]", "testserver"},
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "rest_framework",  # the public API (deepdive.api)
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "anymail",  # webhooks of an e-mail service: bounces and complaints (outbox.webhooks)
    # Deep Dive, one app per area of the life of a series.
    "deepdive.core",
    "deepdive.reference",
    "deepdive.accounts",
    "deepdive.directory",
    "deepdive.series",
    "deepdive.proposals",
    "deepdive.reviews",
    "deepdive.webinars",
    "deepdive.selection",
    "deepdive.timetable",
    "deepdive.communications",
    "deepdive.insight",
    "deepdive.outbox",
    "deepdive.dashboard",
    "deepdive.api",
    "deepdive.demo",
]

MIDDLEWARE = [
    # First: the moment a request arrived, by which deadlines are judged.
    "deepdive.core.middleware.ArrivalTimeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "deepdive.core.middleware.ContentSecurityPolicyMiddleware",
    # Compresses only responses without secrets (BREACH): anonymous, no CSRF token.
    "deepdive.core.middleware.AnonymousGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "deepdive.core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "deepdive.accounts.middleware.SecretariatOnlyMFAMiddleware",
]

ROOT_URLCONF = "deepdive.urls"
WSGI_APPLICATION = "deepdive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "deepdive.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in WAL mode under var/ unless DEEPDIVE_DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DEEPDIVE_DATABASE_URL", f"sqlite:///{VAR_DIR / 'deepdive.sqlite3'}"),
        # Keep connections between requests: opening SQLite with its PRAGMAs on every request
        # cost about 0.7 ms (bench/README.md).
        conn_max_age=int(os.environ.get("DEEPDIVE_DB_CONN_MAX_AGE", 60)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

# django-allauth: e-mail only, verified, password or one-time code, no account enumeration.
ACCOUNT_ADAPTER = "deepdive.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mail to addresses without an account
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "deepdive.accounts.forms.SignupDetailsForm"
# Failed log-ins: five per account (the "key", the address typed) in five minutes, and a
# looser limit per client address, so that one person's wrong passwords lock neither the other
# accounts used from their address nor the people sharing it.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
# The client's address, for the per-address limits: REMOTE_ADDR, or, behind this many trusted
# reverse proxies appending to X-Forwarded-For, the address the outermost one received from.
TRUSTED_PROXIES = int(os.environ.get("DEEPDIVE_TRUSTED_PROXIES", 0))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES
MFA_ADAPTER = "deepdive.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Deep Dive"

# Languages: the ILO's three.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["deepdive.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not _env_flag("DEEPDIVE_TESTING")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Background tasks on the database; `deepdive db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DEEPDIVE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}

# Every message goes through the outbox (deepdive.outbox); this backend only stores. The
# outbox's worker delivers with OUTBOX_DELIVERY, configured from DEEPDIVE_EMAIL_URL.
EMAIL_BACKEND = "deepdive.outbox.backends.OutboxEmailBackend"
OUTBOX_DELIVERY = delivery_settings(os.environ.get("DEEPDIVE_EMAIL_URL"), VAR_DIR)
DEFAULT_FROM_EMAIL = os.environ.get("DEEPDIVE_FROM_EMAIL", "Deep Dive <deepdive@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# With an e-mail service behind DEEPDIVE_EMAIL_URL, its tracking webhooks (django-anymail,
# /anymail/<service>/tracking/, e.g. /anymail/postmark/tracking/) report bounces and
# complaints later (deepdive.outbox.webhooks). Give the service this "user:password" as the
# webhook's HTTP basic auth. Unset, the webhook URLs answer 404: without a secret anyone could
# mark addresses as bounced.
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("DEEPDIVE_ANYMAIL_WEBHOOK_SECRET", "")}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_flag("DEEPDIVE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DEEPDIVE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DEEPDIVE_LOG_LEVEL", "WARNING")},
}

# The public address used in e-mails when there is no request to build it from.
SITE_URL = os.environ.get("DEEPDIVE_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
# The right-hand side of calendar UIDs: fixed for an installation, so a webinar keeps its UID
# (and calendars update rather than duplicate it) even if the site moves.
CALENDAR_UID_DOMAIN = os.environ.get("DEEPDIVE_CALENDAR_UID_DOMAIN", "deepdive.alliance87.org")
# The largest presentation or document a webinar's hosts may upload (bytes).
WEBINAR_MATERIAL_MAX_BYTES = int(
    os.environ.get("DEEPDIVE_WEBINAR_MATERIAL_MAX_BYTES", 20 * 1024 * 1024)
)
DEMO_PASSWORD = os.environ.get("DEEPDIVE_DEMO_PASSWORD", "deepdive-demo")

# The public, read-only API at /api/ (deepdive.api): anonymous, no session or CSRF touched,
# throttled per client address. The throttle counts in the default cache, which is per
# process (LocMem) unless a shared cache is configured: with N processes a client gets up to
# N times the rate.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["deepdive.api.throttling.PerClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("DEEPDIVE_API_RATE", "120/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A client is its address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address
    # they saw (a client's own X-Forwarded-For is not believed).
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Deep Dive public API",
    "DESCRIPTION": (
        "What is public about the webinar series: series, calls, published webinars, themes, "
        "Outcomes, languages, hosts' organisations, recordings, public materials and the "
        "public summary of the workplan's coverage. Read-only and anonymous; never personal "
        "data or a joining link."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": False,
    # The endpoints in the order of deepdive/api/urls.py (series first), not alphabetical.
    "SORT_OPERATIONS": False,
    # Our help texts name the allowed values in words ("One of: English (en), ..."); the
    # generated list is markdown ("* `en` - en") that the documentation page would show raw.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}
