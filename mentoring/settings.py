"""Settings for every environment. Each value comes from the environment with an embedded default.

With nothing set the app runs on SQLite under var/, a file-system Celery broker and e-mail written
to var/mail/, so that `make run` works on a fresh machine with no server installed. DEBUG=False is
production: SECRET_KEY becomes mandatory and the HTTPS-only settings switch on.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from mentoring.object_storage import default_storage_from

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-debug-mode")
else:
    SECRET_KEY = env.str("SECRET_KEY")  # production refuses to start without it

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # allauth's sessions page uses naturaltime.
    "django.contrib.humanize",
    # The `__unaccent` lookup of name searches (mentoring/search.py).
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "mentoring",
    "programs",
    "meetings",
    "conversations",
    "goals",
    "feedback",
    "reports",
    "calendars",
    # The read API and webhooks (issue 26): at the top of the layers, it reads every app.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed, but not those that print a secret (BREACH): mentoring/compression.py.
    "mentoring.compression.SecretAwareGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the language cookie (the switcher), else Accept-Language, else LANGUAGE_CODE;
    # a signed-in person's own choice wins (UserLanguageMiddleware, after authentication).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentoring.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The request being served, for security events recorded from signals (mentoring.security).
    "mentoring.middleware.CurrentRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "mentoring.middleware.RequireSecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "mentoring.middleware.UserTimezoneMiddleware",
    # A newcomer fills in their profile once, at the first sign-in (session flag: no query).
    "programs.onboarding.OnboardingMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

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
                "mentoring.context_processors.navigation",
                "mentoring.notification_views.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mentoring.sqlite3'}"),
}
if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default works on a fresh clone
# Persistent connections: a one-query view served ~2,200 req/s with them, ~140 without.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The hot reads written as SQL run as statements prepared once per connection on PostgreSQL
# (mentoring/rawsql.py); False behind a pooler that shares connections (PgBouncer in transaction mode).
PREPARED_STATEMENTS = env.bool("PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: a writer waits up to `timeout` seconds for another.
    # A deferred transaction that reads, then writes, gets "database is locked" at once (SQLite
    # will not upgrade a read lock or a stale WAL snapshot), so each one takes the write lock at
    # BEGIN. WAL lets readers go on while someone writes; NORMAL sync is safe in WAL mode.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mentoring.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the person with their unread count (mentoring/backends.py).
    "mentoring.backends.ModelBackend",
    "mentoring.backends.AuthenticationBackend",
    # Sessions begun before that change name these two; they keep working.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login, nobody signs up without an invitation (see AccountAdapter).
ACCOUNT_ADAPTER = "mentoring.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentoring] "
ACCOUNT_RATE_LIMITS = {
    # Defaults tightened for a small user base: failed logins lock an account+IP pair for a while.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Second factor (allauth.mfa): an authenticator app (TOTP), security keys and passkeys (WebAuthn),
# and recovery codes for when both are out of reach.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Mentoring"
# A code is good for the period before and after its own too: a phone's clock a little off, or a
# code typed just as it turns over, still signs in (each code works once all the same).
MFA_TOTP_TOLERANCE = 1
# WebAuthn refuses plain http unless told otherwise: only development and tests serve over it.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)
# Program admins and superusers must set up a second factor before they reach anything else
# (mentoring.middleware.RequireSecondFactorMiddleware). Off under `make run`, so the demo accounts
# sign in with their password alone (../shared/CONTRACTS.md); on in production.
MFA_REQUIRED_FOR_ADMINS = env.bool("MFA_REQUIRED_FOR_ADMINS", default=not DEBUG)
# Sessions (allauth.usersessions): a person's list of where they are signed in. Changing the
# password ends every other session (Django's session hash); turning a second factor off does too
# (mentoring.sessions). Tracking each request's address and time costs a write per request: off
# unless asked for, the list then shows where and when each session signed in.
USERSESSIONS_TRACK_ACTIVITY = env.bool("USERSESSIONS_TRACK_ACTIVITY", default=False)
# The client address in sessions, rate limits and security events is REMOTE_ADDR unless this many
# proxies of our own stand in front (X-Forwarded-For is then read from the right, never trusted
# beyond them).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Institutional sign-in (allauth.socialaccount: OpenID Connect and SAML). One identity provider of
# each from the environment (none set: no button); more, or these, can be added as a "Social
# application" in /admin/. OIDC_SERVER_URL is the issuer: allauth reads its
# .well-known/openid-configuration. Joining stays by invitation (programs.sso.SocialAccountAdapter):
# a first sign-in links to the account with the address the provider has verified (OIDC: only its
# `email_verified` counts; SAML: addresses in the SAML_EMAIL_DOMAINS the IdP answers for), joins an
# invited address, and tells anyone else they are not invited yet.
SOCIALACCOUNT_ADAPTER = "programs.sso.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
# The button is a link: a form posted to us and redirected to the provider would break the CSP's
# form-action 'self', in Chromium at least. Starting a sign-in by GET signs nobody in as anyone
# but the person the provider authenticates.
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if env.str("OIDC_CLIENT_ID", default="") and env.str("OIDC_SERVER_URL", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": env.str("OIDC_PROVIDER_ID", default="institution"),
            "name": env.str("OIDC_NAME", default="your institution"),
            "client_id": env.str("OIDC_CLIENT_ID"),
            "secret": env.str("OIDC_CLIENT_SECRET", default=""),
            "settings": {"server_url": env.str("OIDC_SERVER_URL")},
        }
    )
# SAML (python3-saml; the xmlsec wheel carries its own libxmlsec1 and libxml2, the same libxml2
# as lxml's wheel, which python3-saml needs): SAML_METADATA_URL and SAML_ENTITY_ID name the IdP
# (e.g. a Shibboleth IdP's /idp/shibboleth); the app's own metadata for the IdP is then at
# /accounts/saml/<SAML_ORGANIZATION>/metadata/. Attributes are read by their OIDs, as Shibboleth
# and most university IdPs release them; the account is keyed by eduPersonPrincipalName (or
# subject-id), never by a transient NameID. A SAML app made in /admin/ takes the same "settings".
SAML_APP_SETTINGS = {
    "attribute_mapping": {
        "uid": [
            "urn:oasis:names:tc:SAML:attribute:subject-id",
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",  # eduPersonPrincipalName
        ],
        "email": [
            "urn:oid:0.9.2342.19200300.100.1.3",  # mail
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        ],
        "name": [
            "urn:oid:2.16.840.1.113730.3.1.241",  # displayName
            "http://schemas.microsoft.com/identity/claims/displayname",  # ADFS, Entra ID
        ],
        "first_name": [
            "urn:oid:2.5.4.42",  # givenName
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        ],
        "last_name": [
            "urn:oid:2.5.4.4",  # sn
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        ],
    },
    # Signed assertions only; an IdP-initiated sign-in (no request of ours) is refused.
    "advanced": {"want_assertion_signed": True, "reject_idp_initiated_sso": True},
}
SOCIALACCOUNT_PROVIDERS["saml"] = {"APPS": []}
if env.str("SAML_METADATA_URL", default="") and env.str("SAML_ENTITY_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["saml"]["APPS"].append(
        {
            "name": env.str("SAML_NAME", default="your institution"),
            # The slug in the app's SAML URLs: /accounts/saml/<it>/login/, .../acs/, .../metadata/
            "client_id": env.str("SAML_ORGANIZATION", default="institution"),
            "settings": {
                **SAML_APP_SETTINGS,
                "idp": {
                    "entity_id": env.str("SAML_ENTITY_ID"),
                    "metadata_url": env.str("SAML_METADATA_URL"),
                },
                # The domains whose addresses this IdP vouches for (the institution's own): an
                # address elsewhere links to no account and joins nothing.
                "verified_email": env.list("SAML_EMAIL_DOMAINS", default=[]),
            },
        }
    )
# Password sign-in off for everyone but superusers (mentoring.adapters); the login page then shows
# only the institution's button. A password reset then signs nobody in.
SSO_ONLY = env.bool("SSO_ONLY", default=False)
if SSO_ONLY:
    ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Server-side requests to addresses people typed (mentoring/outbound.py) refuse loopback too; the test
# suite turns this on for the servers it starts. Private and link-local addresses stay refused.
OUTBOUND_ALLOW_LOOPBACK = env.bool("OUTBOUND_ALLOW_LOOPBACK", default=False)
# Fernet keys of calendar passwords and secret addresses, the first one encrypting (calendars/crypto.py,
# rotation in docs/operations.md). Unset: one derived from SECRET_KEY, so `make run` needs nothing.
CALENDAR_KEYS = env.list("CALENDAR_KEYS", default=[])
# The read API (api/): tokens of our own (api.auth, never the session: no CSRF surface), JSON only,
# a per-token rate limit kept in the shared cache, errors as JSON with a message (api.errors).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_RATE_LIMIT", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mentoring API",
    "DESCRIPTION": (
        "Read-only access to a mentoring program for the institution's systems. Send a program "
        "token as `Authorization: Bearer <token>`; lists are paged by `cursor` and take "
        "`updated_since` for incremental sync."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Webhook endpoints (api/webhooks.py): a delivery is retried with back-off for about a day, and an
# endpoint is switched off after this many deliveries in a row failed for good.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=5)
# A worker's claim on a delivery: above the time-out, so a send still running is not handed out
# twice; after it, a delivery whose worker died is sent again by the next sweep.
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=300)
# Fernet keys that encrypt webhook signing secrets at rest, the first one encrypting (api/crypto.py).
# Unset: one derived from SECRET_KEY, so `make run` needs nothing.
WEBHOOK_KEYS = env.list("WEBHOOK_KEYS", default=[])
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en"
# Each named in its own language (the switcher lists them so). README "Languages".
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))  # never served as-is
STORAGES = {
    # The filesystem under MEDIA_ROOT, or an S3-compatible bucket (mentoring/object_storage.py).
    "default": default_storage_from(os.environ),
    "staticfiles": {
        "BACKEND": "mentoring.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Redis carries the broker on the database the URL names and the cache on the next one, because a
# cache clear() wipes its whole database.
REDIS_URL = env.str("REDIS_URL", default="")


def _next_redis_db(url: str) -> str:
    base, _, db = url.rstrip("/").rpartition("/")
    if not db.isdigit():
        return f"{url.rstrip('/')}/1"
    return f"{base}/{int(db) + 1}"


# The database cache is shared by web, worker and every process, so allauth's rate limits hold:
# it is the cache of the embedded default, and where Redis is down it stands in for Redis.
_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "mentoring_cache",
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "mentoring.cache.FailoverRedisCache",
            "LOCATION": _next_redis_db(REDIS_URL),
            "FALLBACK": "fallback",
            # A Redis that does not answer costs an operation half a second, not a worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "fallback": dict(_DATABASE_CACHE),
    }
else:
    CACHES = {"default": dict(_DATABASE_CACHE), "fallback": dict(_DATABASE_CACHE)}

if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "mentoring.mail.EmlFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentoring <mentoring@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without REDIS_URL: kombu's file-system transport, which needs no server.
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Above the longest task's hard limit, so an unacknowledged task is not handed out twice
        # while it is still running.
        "visibility_timeout": 3600,
        # A Redis that is down or hung costs a request about a second, never a worker: connect and
        # read give up after half a second, and a publish is retried once. What is not enqueued
        # is a database row already; the next sweep hands it out.
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    # The transport expects its folders: create them, so that a fresh clone's first command
    # (seed_demo, runserver, the worker) can enqueue.
    for _name in ("data_folder_in", "control_folder", "processed_folder"):
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[_name]).mkdir(parents=True, exist_ok=True)
# Workers keep their database connection across tasks instead of opening one per task; each task
# still drops a broken or aged one (mentoring/celery.py, with CONN_HEALTH_CHECKS and CONN_MAX_AGE).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Present while gunicorn drains after a SIGTERM (deploy/gunicorn.conf.py): /healthz answers 503.
DRAIN_FILE = VAR_DIR / "draining"
# One beat schedules at a time: a second one waits as a standby, sending nothing, and takes over
# when the first stops (a PostgreSQL advisory lock, or a flock beside the schedule file on SQLite).
CELERY_BEAT_SCHEDULER = "mentoring.beat.LockedScheduler"
# Beat's schedule is built from what each app declares beside its sweeps (interval and reason):
# mentoring/registry.py, wired in mentoring/celery.py. Only the beat holding the lock sends; even if
# two ever did, nothing goes twice: every notice has a unique dedupe key in the database.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# A claim on a notice older than this belongs to a dead worker: the next sweep hands it out again.
# Above CELERY_TASK_TIME_LIMIT, so a send still running is never handed out twice.
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", default=600)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
# Links in e-mails point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Security headers. The CSP allows no inline script at all: JavaScript comes from static/ only.
# Forms post only here and no <base> can re-point relative links, so injected markup that slipped
# past escaping could neither send a form elsewhere nor frame anything. A <meta http-equiv=refresh>
# is not stopped by any CSP directive: only escaping stops it (tests/test_hostile.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "frame-src": [NONE],
        "worker-src": [NONE],
        "manifest-src": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache and written through to the database: one query less on every
# page; ending a session (sign-out, allauth's "sign out other sessions") deletes both copies.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health checks from inside the compose network speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this host, on path /: no subdomain can set them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Materials uploaded for review (meetings app).
# How often an open conversation asks for new messages (seconds; conversations app).
CONVERSATION_POLL_SECONDS = env.int("CONVERSATION_POLL_SECONDS", default=15)
MATERIAL_MAX_UPLOAD_BYTES = env.int("MATERIAL_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
