"""Base settings, driven by the environment.

With no environment at all this is the embedded default: an SQLite file, Celery eager and a
local-memory cache, so ``make run`` works on a fresh laptop. Set ``DATABASE_URL`` (PostgreSQL)
and ``REDIS_URL`` for the real stack.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The development key is only for the embedded default; production refuses to start without one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-7f3a9c1e")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    # Two-factor login (core.auth.twofactor): authenticator apps and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mptt",
    "django_celery_beat",
    # The platform layer (infrastructure, no domain), then the domain apps, lowest layer first:
    # core <- organizations <- members <- committees <- projects.
    "core",
    "organizations",
    "members",
    "committees",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.auth.middleware.TwoFactorMiddleware",
    "core.auth.middleware.PasswordChangeRequiredMiddleware",
    "members.portal.access.MemberBoundaryMiddleware",
    "core.request_context.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
]

# Every login path (admin, /branch/login/, API token) goes through the lockout backend.
AUTHENTICATION_BACKENDS = ["core.auth.backends.LockoutModelBackend"]
# Lockout counters (core.auth.lockout): per (account, address), per account, per address —
# the address-wide limit is much higher, so one NAT office is not locked by others' typos.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_ACCOUNT_MAX_FAILURES = env.int("LOGIN_ACCOUNT_MAX_FAILURES", default=10)
LOGIN_ADDRESS_MAX_FAILURES = env.int("LOGIN_ADDRESS_MAX_FAILURES", default=100)
LOGIN_LOCKOUT_BASE_SECONDS = 60
LOGIN_LOCKOUT_MAX_SECONDS = 3600
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (nginx: 1). 0 = none.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Sessions: 30 minutes idle, 12 hours at most (core.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Two-factor login (core.auth.twofactor): required for these roles, for holders of these
# permissions (the unmask permission) and for superusers; for every staff user if FOR_ALL_STAFF.
TWO_FACTOR_ENFORCE = env.bool("TWO_FACTOR_ENFORCE", default=True)
TWO_FACTOR_REQUIRED_ROLES = ["district_admin", "security_admin"]
# The permission to see personal data in full (granted by the security administrator).
UNMASK_PERMISSION = "members.view_sensitive_data"
TWO_FACTOR_REQUIRED_PERMISSIONS = [UNMASK_PERMISSION]
TWO_FACTOR_FOR_ALL_STAFF = env.bool("TWO_FACTOR_FOR_ALL_STAFF", default=False)
OTP_TOTP_ISSUER = "党建管理平台"
# API tokens expire this many days after they were issued or rotated (core.auth.tokens).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
# Audit entries are kept this long (never less than 180 days; purge_audit_log refuses shorter).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

# 即将转正: a probationary member whose probation ends within this many days is "due soon" on the
# phone dashboard, in the admin filter and in the reminder (members.organizational_life).
PROBATION_DUE_SOON_DAYS = env.int("PROBATION_DUE_SOON_DAYS", default=30)
# A floating member (流动党员) not contacted for this many days is reminded; a transfer letter
# expiring within TRANSFER_EXPIRY_SOON_DAYS is reminded before it lapses.
FLOATING_CONTACT_DAYS = env.int("FLOATING_CONTACT_DAYS", default=90)
TRANSFER_EXPIRY_SOON_DAYS = env.int("TRANSFER_EXPIRY_SOON_DAYS", default=14)

# Our pages load scripts and styles from our own origin only; inline styles stay allowed because
# the Django admin uses style attributes. The API docs bootstrap with an inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CSP_RELAXED_PATHS = ("/api/v1/docs/", "/api/v1/redoc/")
CSP_RELAXED_POLICY = (
    CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("img-src 'self' data:", "img-src 'self' data: blob:")
    .replace("connect-src 'self'", "connect-src 'self'; worker-src 'self' blob:")
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # JIT compilation costs more than it saves on our short set-based queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
# A persistent connection cut by the database (restart, pg_terminate_backend, failover) is
# detected at the start of the next request and replaced, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # A cache miss instead of a 500 while Redis is down (core/cache.py).
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Users speak Chinese: the UI is Chinese whatever the browser asks for (no LocaleMiddleware).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Every translation catalogue lives under locale/<topic>/; all of them are loaded.
# Translations live in each app (`<app>/locale/`); see scripts/catalogues.py and docs/translations.md.
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
# The most rows one ``?format=xlsx`` export writes; beyond it the file says so (narrow the filters).
XLSX_EXPORT_MAX_ROWS = env.int("XLSX_EXPORT_MAX_ROWS", default=20000)
# Member and dues imports: refused before parsing above these limits (members/roster/files.py);
# a member import above the worker thresholds, and a member export above its row count, runs in
# the Celery worker with a progress page (members/roster/jobs.py).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_WORKER_ROWS = env.int("IMPORT_WORKER_ROWS", default=2000)
IMPORT_WORKER_BYTES = env.int("IMPORT_WORKER_BYTES", default=1024 * 1024)
EXPORT_WORKER_ROWS = env.int("EXPORT_WORKER_ROWS", default=5000)
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))

LOGIN_URL = "/branch/login/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.auth.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Throttles key anonymous callers by address: trust only the hops our own proxies append to
    # X-Forwarded-For (DRF's default, None, would trust a spoofed leftmost entry).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["organizations.api.permissions.ScopedModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ActionAwareAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.json_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.auth.throttling.TokenRateThrottle",
        "core.auth.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_USER_RATE", default="6000/min"),
        "anon": env.str("API_ANON_RATE", default="600/min"),
        "stats": env.str("API_STATS_RATE", default="1200/min"),
    },
    # ``?format=xlsx`` on every endpoint (core.api.renderers).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "core.api.renderers.XlsxRenderer",
    ],
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    # JSON nested past a depth cap is a 400, not a RecursionError (core.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "支部建在小区 党建管理平台 API",
    "DESCRIPTION": "District party-building management: organization tree, members, "
    "organizational life, governance, joint building and statistics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a ``kind``/``status`` field with different choices; name each enum.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "organizations.models.tree.OrganizationKind",
        "CompoundKindEnum": "organizations.models.places.CompoundKind",
        "AccessRoleEnum": "organizations.models.access.Role",
        "SeatRoleEnum": "committees.models.bodies.SeatRole",
        "ActivityKindEnum": "projects.models.service.ActivityKind",
        "CommitteeKindEnum": "committees.models.bodies.CommitteeKind",
        "MeetingKindEnum": "members.models.meetings.MeetingKind",
        "MemberEventKindEnum": "members.models.records.MemberEventKind",
        "PartnerKindEnum": "projects.models.partners.PartnerKind",
        "PointsKindEnum": "members.models.points.PointsKind",
        "PositionKindEnum": "members.models.position.PositionKind",
        "RequestKindEnum": "projects.models.service.RequestKind",
        "AttendanceStatusEnum": "members.models.meetings.AttendanceStatus",
        "CommitteeStatusEnum": "committees.models.bodies.CommitteeStatus",
        "MatterStatusEnum": "committees.models.matters.MatterStatus",
        "MemberStatusEnum": "members.models.member.MemberStatus",
        "WishStatusEnum": "projects.models.service.WishStatus",
        "NeedStatusEnum": "projects.models.partners.NeedStatus",
        "ProjectStatusEnum": "projects.models.projects.ProjectStatus",
        "ReminderStatusEnum": "organizations.models.reminders.ReminderStatus",
        "RequestStatusEnum": "projects.models.service.RequestStatus",
        "FundingSourceEnum": "projects.models.projects.FundingSource",
        "MatterSourceEnum": "committees.models.matters.MatterSource",
        "FloatingStatusEnum": "members.models.member.FloatingStatus",
        "DuesCategoryEnum": "members.models.dues.DuesCategory",
        "ServiceCategoryEnum": "projects.models.partners.Category",
        "PaymentMethodEnum": "members.models.dues.PaymentMethod",
        "ElectionMethodEnum": "members.models.elections.ElectionMethod",
    },
}

# Celery: eager in the embedded default, Redis otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A task whose worker dies is redelivered: at once when only the pool process died, after the
# visibility timeout when the whole worker (or machine) died. It must exceed the longest task.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Personal data encryption: a comma-separated list of Fernet-format keys, newest first (core.crypto:
# AES-256-GCM with a key derived from each; older Fernet tokens still read),
# and a separate key for the keyed hash used for exact lookups. The development defaults exist
# only so the embedded default runs; production requires real keys.
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=["Zm9yLWRldmVsb3BtZW50LW9ubHktMzJieXRlcy1rZXk="])
PII_HASH_KEY = env.str("PII_HASH_KEY", default="development-only-hash-key")

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Notifications (core.notify, docs/deploy.md): channels used where no organization set routes,
# the SMS gateway, the WeChat Work robot endpoint, retries with exponential backoff.
NOTIFY_DEFAULT_CHANNELS = env.list("NOTIFY_DEFAULT_CHANNELS", default=["console"])
NOTIFY_SMS = {
    "URL": env.str("NOTIFY_SMS_URL", default=""),
    "KEY": env.str("NOTIFY_SMS_KEY", default=""),
    "SECRET": env.str("NOTIFY_SMS_SECRET", default=""),
    "SIGN_NAME": env.str("NOTIFY_SMS_SIGN_NAME", default=""),
}
NOTIFY_WECOM_URL = env.str("NOTIFY_WECOM_URL", default="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=")
NOTIFY_HTTP_TIMEOUT = env.int("NOTIFY_HTTP_TIMEOUT", default=5)
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_RETRY_BASE_SECONDS = env.int("NOTIFY_RETRY_BASE_SECONDS", default=60)

DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="党建平台 <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No log line keeps a full ID number or phone (organizations.masks).
    "filters": {"scrub_personal_data": {"()": "organizations.masks.ScrubPersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub_personal_data"]}
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines (Django gives them their own unfiltered handler otherwise).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Uploaded files are served by organizations.files.serve_file after the scope check. Behind nginx,
# set this to the internal location (e.g. "/protected-media/") and nginx sends the bytes
# (X-Accel-Redirect, docs/deploy.md); empty: Django streams them (FileResponse).
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
