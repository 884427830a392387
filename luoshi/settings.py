"""Django settings for Luoshi, read from environment variables (see README)."""

from __future__ import annotations

from pathlib import Path

from luoshi.env import (
    database_from_env,
    env_bool,
    env_hours,
    env_int,
    env_list,
    env_str,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LUOSHI_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("LUOSHI_DEBUG", False)
# Demo mode seeds the demo units and accounts with a published password; never in production.
LUOSHI_DEMO = env_bool("LUOSHI_DEMO", False)
SECRET_KEY = secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = (
    env_list("CSRF_TRUSTED_ORIGINS", []) if env_str("CSRF_TRUSTED_ORIGINS") else []
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "luoshi.core",
    "luoshi.org",
    "luoshi.accounts",
    "luoshi.workcal",
    "luoshi.workbench",
    "luoshi.ledger",
    "luoshi.followup",
    "luoshi.notify",
    "luoshi.reminders",
    "luoshi.urging",
    "luoshi.stats",
    "luoshi.sheets",
    "luoshi.documents",
    "luoshi.dossier",
    "luoshi.audit",
    "luoshi.mfa",
    "luoshi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP and Permissions-Policy; the other security headers come from Django's middleware.
    "luoshi.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it records who), around everything that may refuse a request.
    "luoshi.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits; reads the security policy once per request.
    "luoshi.accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luoshi.accounts.middleware.PasswordChangeRequiredMiddleware",
    # 三员分立: the three administrator accounts open no business page.
    "luoshi.accounts.separation.SeparationOfDutiesMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "luoshi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(VAR_DIR / "luoshi.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# The numbers come from the 安全策略 page (accounts.SecurityPolicy), not from here.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "luoshi.accounts.passwords.PolicyLengthValidator"},
    {"NAME": "luoshi.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "luoshi.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "luoshi.accounts.passwords.UserInfoValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "name", "email", "phone")},
    },
    {"NAME": "luoshi.accounts.passwords.PasswordHistoryValidator"},
]

# The cookie's age only bounds the session; the idle timeout and the absolute lifetime
# are the 安全策略's, enforced on the server (accounts.sessions). Keep it at least as long
# as the policy's absolute lifetime (12 hours at most).
SESSION_COOKIE_AGE = env_int("LUOSHI_SESSION_SECONDS", 12 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("LUOSHI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "luoshi" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # Only the minified build, copied there by package.json's postinstall.
    ("vendor/echarts", BASE_DIR / "node_modules" / ".luoshi-vendor" / "echarts"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("EMAIL_USE_TLS 与 EMAIL_USE_SSL 不能同时开启。")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "luoshi@localhost")
# Without an SMTP host, mail is written to the log instead of being lost silently.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

REST_FRAMEWORK = {
    # Sessions for the browser, tokens (manage.py api_token) for other systems.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "luoshi.accounts.separation.SeparationOfDuties",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "luoshi.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "落实 督查督办平台 API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The map of every endpoint is for signed-in users only (drf-spectacular allows anyone).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LUOSHI_LOG_LEVEL", "INFO").upper()},
}

# Audit log: records are kept this many days (never fewer than 180, the legal minimum).
LUOSHI_AUDIT_RETENTION_DAYS = env_int("LUOSHI_AUDIT_RETENTION_DAYS", 180, minimum=180)
# Tests turn a failure to write an audit record into an error instead of a log line.
LUOSHI_AUDIT_STRICT = False

# Background loops: a loop whose heartbeat is older than this many intervals is reported stale.
LUOSHI_LOOP_STALE_FACTOR = 3
# Evidence uploads (progress reports, completion requests).
LUOSHI_UPLOAD_MAX_MB = env_int("LUOSHI_UPLOAD_MAX_MB", 20, minimum=1, maximum=500)
LUOSHI_UPLOAD_MAX_FILES = env_int("LUOSHI_UPLOAD_MAX_FILES", 10, minimum=1, maximum=50)
# Office/OFD packages are ZIPs: refused when they would expand past these (zip bombs).
LUOSHI_ARCHIVE_MAX_MB = env_int("LUOSHI_ARCHIVE_MAX_MB", 100, minimum=1, maximum=4096)
LUOSHI_ARCHIVE_MAX_RATIO = env_int("LUOSHI_ARCHIVE_MAX_RATIO", 100, minimum=10, maximum=10000)
LUOSHI_ARCHIVE_MAX_ENTRIES = env_int("LUOSHI_ARCHIVE_MAX_ENTRIES", 10000, minimum=10)
# Notifications: links in e-mail, SMS and robot messages point here; SMS and robot messages
# wait for working hours (on working days of the calendar).
LUOSHI_BASE_URL = env_str("LUOSHI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
LUOSHI_WORK_HOURS = env_hours("LUOSHI_WORK_HOURS", "08:30-17:30")
# Delivery: attempts before a message is marked failed; a claim older than the lease is
# taken to be a runner that crashed and is picked up again.
LUOSHI_OUTBOX_MAX_ATTEMPTS = env_int("LUOSHI_OUTBOX_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
LUOSHI_OUTBOX_LEASE_SECONDS = 600
LUOSHI_HTTP_TIMEOUT_SECONDS = 10
# SMS gateway used when no 短信 channel is configured on the 消息渠道 page: URL, HMAC secret
# signing each request, and the signature (签名) put in front of each message.
LUOSHI_SMS_URL = env_str("LUOSHI_SMS_URL")
LUOSHI_SMS_SECRET = env_str("LUOSHI_SMS_SECRET")
LUOSHI_SMS_SIGN = env_str("LUOSHI_SMS_SIGN", "落实")
