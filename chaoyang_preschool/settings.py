"""Settings for the Chaoyang Preschool Portal.

Every value comes from the environment (or a `.env` file beside manage.py), so development,
tests and production run the same code path. Bad values fail loudly at start-up.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # real environment variables win over the file

DEBUG = env.bool("DEBUG", default=False)
# Without DEBUG an empty key stays empty: Django refuses it on first use, and the web server and
# Celery refuse to start without one (`startup.require_secret_key`); commands that only read the
# models still run on a bare checkout.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

# The key of staff national ID numbers (staff.identity: their matching hash and encryption).
# Production must set ID_NUMBER_KEY on its own (the web server and Celery refuse to start without
# it when DEBUG is off, `startup.require_id_number_key`): rotating SECRET_KEY must not make every
# stored number unreadable and unmatchable. Development and tests, which hold no real numbers,
# derive it from SECRET_KEY.
ID_NUMBER_KEY_FROM_ENV = bool(env.str("ID_NUMBER_KEY", default=""))
ID_NUMBER_KEY = env.str("ID_NUMBER_KEY", default="") or (f"derived-from-secret-key:{SECRET_KEY}" if SECRET_KEY else "")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes (accounts.two_factor)
    "accounts",
    "kindergartens",
    "enrollment",
    "reports",
    "inspections",
    "staff",
    "safety",
    "governance",
    "public",
    "notifications",
]

MIDDLEWARE = [
    # First: a body over the limit is refused before anything reads it (common/limits.py).
    "common.limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in (accounts.two_factor): request.user.is_verified(), then the requirement.
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    # Permissions-Policy, and Cache-Control: no-store for signed-in users and PDFs.
    "common.security_headers.SecurityHeadersMiddleware",
    # The security-event log: exports, PDF downloads, footage-register reads (accounts.security_log).
    "accounts.security_log.SecurityEventMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts raised by the backend into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chaoyang_preschool.urls"
WSGI_APPLICATION = "chaoyang_preschool.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

FORM_RENDERER = "common.form_renderer.FormRenderer"  # <select> options without a template each

# The embedded default is a SQLite file; production and CI point DATABASE_URL at PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep a worker's connection between requests (a new PostgreSQL connection per request was a
# large share of a page's time under load, docs/benchmarks.md); checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # JIT off for every connection: the dashboard panels' and the indicator sources' GROUP BYs
    # carry many FILTER clauses, their estimated cost turns JIT on, and compiling them took
    # seconds where running them takes milliseconds (docs/benchmarks.md). Nothing here is big
    # enough for JIT to pay.
    # Added to any `options` given in DATABASE_URL. (A PgBouncer in transaction mode refuses
    # startup options: there, set `jit = off` on the database instead and CONN_MAX_AGE=0.)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must come first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
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

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies, the client address is read from X-Forwarded-For: the n-th entry from
# the right for n proxies of our own (common.net.client_ip; 0 = no proxy, REMOTE_ADDR). Axes, the
# token endpoint's throttle and the public rate limit all key on it, so one client's failures
# lock only that username from that address, never the account for everybody.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "common.net.client_ip_or_none"

# The dashboard's figures and panels are cached per scope until the next computation, and at most
# this long (reports.dashboard_cache; 0 turns the cache off).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Django's cache: per worker process by default; CACHE_URL (e.g. redis://redis:6379/1) shares it
# between the workers (the dashboard then builds once per scope, not once per worker).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Two-factor sign-in (django-otp TOTP): these roles must use it; everyone else may turn it on.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=["bureau_admin"])
OTP_TOTP_ISSUER = "朝阳区学前教育管理平台"

# API tokens (accounts.tokens) are good for this many days from their creation.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be at least 1.")

# Sessions end after a working day of inactivity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "accounts.sessions"  # the expiry is written at most once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production images run collectstatic and set STATIC_MANIFEST=1 for hashed, far-future-cached
# files; without a manifest (development, tests) files are served under their plain names.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files live outside the web root and are served only through views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Generated reports (PDFs) are kept here, also outside the web root.
REPORTS_ROOT = env.path("REPORTS_ROOT", default=BASE_DIR / "var" / "reports")
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
# Request bodies (common/limits.py, answered 413): views marked `accepts_uploads` take several files
# at the file limit; every other URL a form or a JSON body. The reverse proxy's client_max_body_size
# is MAX_UPLOAD_REQUEST_BYTES (README, docker-compose.yml).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=2 * 1024 * 1024)
MAX_UPLOAD_REQUEST_BYTES = env.int("MAX_UPLOAD_REQUEST_BYTES", default=50 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a missing or bad token is answered 401 with WWW-Authenticate: Token.
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The token endpoint (/api/token/) is throttled per client address like the login.
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_RATE", default="10/min")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "朝阳区学前教育管理平台 API",
    "DESCRIPTION": "Chaoyang Preschool Portal REST API. Every resource is scoped to the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs are for signed-in users (session or token), not the public.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the vendored sidecar package: the portal works offline, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set several apps' serializers share (else W001 fails `check --deploy`).
    "ENUM_NAME_OVERRIDES": {
        "PopulationBasisEnum": "enrollment.choices.PopulationBasis",
        "NotificationKindEnum": "notifications.choices.NotificationKind",
        "OrderStatusEnum": "inspections.choices.OrderStatus",
        "UnlicensedCaseStatusEnum": "inspections.choices.UnlicensedCaseStatus",
        "CaseStatusEnum": "inspections.choices.CaseStatus",
        "ConductCaseKindEnum": "inspections.choices.ConductCaseKind",
        "SeverityEnum": "safety.choices.Severity",
        "IncidentSeverityEnum": "safety.choices.IncidentSeverity",
        "HazardStatusEnum": "safety.choices.HazardStatus",
        "RecordStatusEnum": "safety.choices.RecordStatus",
        "FootageStatusEnum": "safety.choices.FootageStatus",
        "ChecklistStatusEnum": "safety.choices.ChecklistStatus",
        "CheckStatusEnum": "safety.choices.CheckStatus",
        "HazardCategoryEnum": "safety.choices.HazardCategory",
        "AidCategoryEnum": "governance.choices.AidCategory",
        "NamingRuleCategoryEnum": "kindergartens.choices.NamingRuleCategory",
        "ResultGradeEnum": "inspections.choices.ResultGrade",
        "KindergartenGradeEnum": "governance.choices.KindergartenGrade",
        "CreditLevelEnum": "governance.choices.CreditLevel",
        "IssueSourceEnum": "inspections.choices.IssueSource",
        "TrainingSourceEnum": "staff.choices.TrainingSource",
        "FollowUpStatusEnum": "reports.follow_up.FollowUpStatus",
        "SupervisionLevelEnum": "safety.choices.SupervisionLevel",
    },
}

# Celery: without a broker, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE  # beat schedules below are in Asia/Shanghai, explicitly
CELERY_ENABLE_UTC = False
CELERY_BEAT_SCHEDULE: dict = {
    # Fee anomalies (missing filings, fees above caps, sponsor payments): 01:30, before the indicators.
    "scan-fee-alerts-daily": {
        "task": "governance.fee_alerts_scan",
        "schedule": crontab(hour=1, minute=30),
    },
    # Credit records of private kindergartens: events drawn from the other modules, levels rescored: 01:45.
    "refresh-credit-records-daily": {
        "task": "governance.credit_refresh",
        "schedule": crontab(hour=1, minute=45),
    },
    # Every indicator, forecast and warning for the day, then the district PDF: 02:00 Asia/Shanghai.
    "compute-indicators-nightly": {
        "task": "reports.compute_indicators",
        "schedule": crontab(hour=2, minute=0),
    },
    # Due and overdue reminders (bell and email), each sent once: 07:00 Asia/Shanghai.
    "send-reminders-daily": {
        "task": "notifications.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Major-hazard supervision orders moved up the ladder for the day's overdue: 06:30 Asia/Shanghai.
    "escalate-supervision-daily": {
        "task": "safety.escalate_supervision",
        "schedule": crontab(hour=6, minute=30),
    },
}

# Indicator engine (reports.services): an inclusive kindergarten whose children ÷ approved
# capacity falls below this share raises an "underused" early warning.
# The parents' portal (/public/): per-IP request limit per window, and how long answers are cached.
PUBLIC_RATE_LIMIT = env.int("PUBLIC_RATE_LIMIT", default=120)  # requests per window; 0 = no limit
PUBLIC_RATE_WINDOW = env.int("PUBLIC_RATE_WINDOW", default=60)  # seconds
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)  # 0 = no cache

UNDERUSED_INCLUSIVE_THRESHOLD = env.float("UNDERUSED_INCLUSIVE_THRESHOLD", default=0.6)
if not 0 < UNDERUSED_INCLUSIVE_THRESHOLD <= 1:
    raise ImproperlyConfigured("UNDERUSED_INCLUSIVE_THRESHOLD must be a share between 0 (exclusive) and 1.")
# A run still marked running after this many minutes is taken to have died (its lock is released).
COMPUTATION_STALE_MINUTES = env.int("COMPUTATION_STALE_MINUTES", default=120)
if COMPUTATION_STALE_MINUTES < 1:
    raise ImproperlyConfigured("COMPUTATION_STALE_MINUTES must be at least 1.")

# Mail (reminders): the console backend (mail goes to the log) unless configured, either by one
# EMAIL_URL (smtp+tls://user:password@smtp.example.gov.cn:587, which wins) or the EMAIL_* values.
# A URL of another scheme stops the start-up ("Invalid email schema").
_email_url = env.email_url_config(env.str("EMAIL_URL")) if env.str("EMAIL_URL", default="") else {}
EMAIL_BACKEND = _email_url.get("EMAIL_BACKEND") or env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = _email_url.get("EMAIL_HOST") or env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = _email_url.get("EMAIL_PORT") or env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = _email_url.get("EMAIL_HOST_USER") or env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _email_url.get("EMAIL_HOST_PASSWORD") or env.str("EMAIL_HOST_PASSWORD", default="")
# With EMAIL_URL, its scheme alone says TLS (smtp+tls) or SSL (smtp+ssl).
EMAIL_USE_TLS = _email_url.get("EMAIL_USE_TLS", False) if _email_url else env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = _email_url.get("EMAIL_USE_SSL", False) if _email_url else env.bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # seconds: a hung mail server must not hang the job
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@chaoyang-preschool.local")
# The portal's address as users reach it, for the links in emails.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

# Production hardening. Behind HTTPS (the deployment sets HTTPS=1), cookies are secure, plain
# HTTP redirects and HSTS is on; `manage.py check --deploy` is then clean with DEBUG off.
# Off by default so the embedded set-up and the tests work over plain http://127.0.0.1.
HTTPS = env.bool("HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"  # other sites never see the portal's URLs (they carry ids)

# Content-Security-Policy (django-csp 4): scripts, styles, images and fonts from the portal only.
# No inline <script>, on…= handler, <style> block or style attribute anywhere
# (tests/test_security_headers.py scans the templates); behaviours are in static/js/behaviours.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the SVG icons that vendored CSS embeds and for charts saved as images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"

DJANGO_TABLES2_TEMPLATE = "includes/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step of every PDF page at INFO: keep the nightly job's log readable.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
# The schema declares nullable and blank values and the error answers (chaoyang_preschool/schema.py).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "chaoyang_preschool.schema.document_errors_and_nullables",
]
