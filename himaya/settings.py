"""Himaya settings: one file, read from the environment, strict about bad values.

Secrets may come from files: for every secret variable NAME, NAME_FILE names a file holding it.
The readers (``env``, ``env_bool``, ``env_int`` with its bounds, the secrets, the shared cache)
are in ``himaya/environment.py``; this file is the list of values, each checked where it is read.

HIMAYA_ENV selects the profile:
- ``development`` (default): demo mode allowed, keys generated under var/.
- ``test``: what the test suite uses.
- ``production``: every secret required, demo mode refused, hardened cookies and headers.
"""

import hashlib
import re
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from himaya.environment import (
    BASE_DIR,
    VAR_DIR,
    check_backup_keys,
    env,
    env_bool,
    env_int,
    local_secret,
    required_secret,
    shared_cache,
)
from himaya.field import keys as _field_keys

HIMAYA_ENV = env("HIMAYA_ENV") or ("test" if "pytest" in sys.modules else "development")
if HIMAYA_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"HIMAYA_ENV must be development, test or production, not {HIMAYA_ENV!r}"
    )
PRODUCTION = HIMAYA_ENV == "production"

# Off unless asked (DEBUG=1), in development too: the demo shows Himaya's own error pages in the
# user's language, not Django's English debug pages listing every route. WhiteNoise serves the
# static files either way (WHITENOISE_USE_FINDERS below).
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on in production")

# Demo mode: demo users with known passwords and TOTP secrets. Never in production.
DEMO_MODE = env_bool("HIMAYA_DEMO", False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("HIMAYA_DEMO is refused with HIMAYA_ENV=production")


SECRET_KEY = required_secret("SECRET_KEY", "secret", production=PRODUCTION)
# Field encryption keys (Fernet, AES-128-CBC + HMAC-SHA256), comma-separated, newest first: the
# first encrypts, all decrypt, so a key is rotated by prepending a new one and running
# `himaya rotatekeys`.
FIELD_ENCRYPTION_KEYS = [
    k.strip() for k in (env("HIMAYA_FIELD_KEYS") or "").split(",") if k.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("HIMAYA_FIELD_KEYS (or HIMAYA_FIELD_KEYS_FILE) is required")
    import base64
    import hashlib

    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(local_secret("field").encode()).digest()).decode()
    ]
# Key of the blind index (keyed hashes of name tokens). Changing it needs `himaya reindex`.
BLIND_INDEX_KEY = required_secret("HIMAYA_BLIND_INDEX_KEY", "blind-index", production=PRODUCTION)
# Backups (`himaya backup`, `himaya restore`; README, Backups): age (X25519) keys, never the
# field keys. Backups are encrypted to the public keys HIMAYA_BACKUP_RECIPIENTS (comma-separated),
# so the server that writes them cannot read them; restoring needs the matching secret key
# HIMAYA_BACKUP_IDENTITY (or _FILE, as age-keygen writes it), kept off the server. Without either,
# development and tests use a key pair made once in var/backup-identity.key.
HIMAYA_BACKUP_RECIPIENTS = env("HIMAYA_BACKUP_RECIPIENTS") or ""
HIMAYA_BACKUP_IDENTITY = env("HIMAYA_BACKUP_IDENTITY") or ""
HIMAYA_BACKUP_DIR = Path(env("HIMAYA_BACKUP_DIR") or VAR_DIR / "backups")


check_backup_keys(HIMAYA_BACKUP_RECIPIENTS, HIMAYA_BACKUP_IDENTITY)

ALLOWED_HOSTS = [
    h.strip()
    for h in (env("ALLOWED_HOSTS") or ("" if PRODUCTION else "127.0.0.1,localhost")).split(",")
    if h.strip()
]
if HIMAYA_ENV == "test":
    ALLOWED_HOSTS += ["testserver"]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (env("CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "himaya.core",
    "himaya.accounts",
    "himaya.audit",
    "himaya.secure_exports",
    "himaya.notifications",
    "himaya.people",
    "himaya.hotline",
    "himaya.screening",
    "himaya.cases",
    "himaya.referrals",
    "himaya.justice",
    "himaya.linkage",
    "himaya.coordination",
    "himaya.exchange",
    "himaya.statistics",
    "himaya.subjects",  # S21: the data subject's rights (Law 09-08)
    "himaya.field",  # screening on ODK devices through OpenRosa (docs/field.md)
    "django_tasks",
    "django_tasks_db",
    "himaya.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed here (static files come compressed from WhiteNoise, above). BREACH:
    # Django masks the CSRF token anew in every response and pads compressed responses at
    # random (Heal-the-BREACH, Django >= 4.2), and no page reflects text an attacker can send
    # with the user's cookie: searches are POSTed (CSRF-checked) and kept in the session, the
    # session cookie is SameSite=Lax; so HTML is compressed (P5), not left to a proxy.
    "django.middleware.gzip.GZipMiddleware",
    "himaya.core.middleware.RequestIdMiddleware",
    # After whitenoise, so static files keep their own caching headers.
    "himaya.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session middleware: pushes the idle expiry forward once a minute at most.
    "himaya.accounts.middleware.SessionTouchMiddleware",
    "himaya.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body, after the language is known (the 413 page is translated).
    "himaya.core.middleware.RequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that its redirects still get every security header above.
    "himaya.accounts.middleware.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "himaya.urls"
CSRF_FAILURE_VIEW = "himaya.core.views.csrf_failure"
WSGI_APPLICATION = "himaya.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

TEMPLATES = [
    {
        # Django's, with every rendered output freed of text-direction overrides (core/bidi.py).
        "BACKEND": "himaya.core.templating.DjangoTemplates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "himaya" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "himaya.core.context_processors.languages",
                "himaya.accounts.context_processors.navigation",
                "himaya.notifications.context_processors.bell",
            ],
            "builtins": ["himaya.core.templatetags.himaya"],
        },
    }
]
# Length limits as a counter and a message, not the browser's silent cut (core/renderers.py).
FORM_RENDERER = "himaya.core.renderers.FormRenderer"

if HIMAYA_ENV == "test" and not env("DATABASE_URL"):
    _default_db = f"sqlite:///{VAR_DIR / 'test.sqlite3'}"
else:
    _default_db = f"sqlite:///{VAR_DIR / 'himaya.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL") or _default_db)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# SQLite serves the demo, development and one person's tests: it writes one request at a time,
# and the figures' per-revision memo can be fooled by a rolled-back write (statistics/revision.py).
if PRODUCTION and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        "HIMAYA_ENV=production needs PostgreSQL: set DATABASE_URL=postgres://…"
    )
# Persistent connections: a new PostgreSQL connection costs ~11 ms on every request (issue 17).
# Seconds a worker keeps its connection (0: one per request, as before); checked before reuse,
# so a connection the server dropped is replaced instead of failing the request.
CONN_MAX_AGE = env_int("HIMAYA_CONN_MAX_AGE", 60 if PRODUCTION else 0, low=0, high=3600)
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE
DATABASES["default"]["CONN_HEALTH_CHECKS"] = CONN_MAX_AGE > 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache keeps what is costly and the same for many: figures per data revision (home pages,
# the commission's panel), the annual report's PDF, the public tables, the field forms. Nothing
# that names a person. By default each process keeps its own; with several workers (gunicorn),
# HIMAYA_CACHE_URL (redis://[:password@]host:6379/db) shares one Redis between them, so that
# what one worker computed serves all. A Redis outage is a cache miss (logged), never an error
# page: everything cached is computed again.


# Never in the test profile: the tests empty the cache before each test (FLUSHDB on Redis), and
# the parallel workers' figures would meet under the same keys.
CACHE_URL = "" if HIMAYA_ENV == "test" else env("HIMAYA_CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": shared_cache(CACHE_URL, DATABASES["default"])}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Authentication: argon2, 12+ characters, lockout after 5 failures, mandatory TOTP.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if HIMAYA_ENV == "test":
    # Same algorithm, cheaper parameters: the suite creates many accounts.
    PASSWORD_HASHERS.insert(0, "himaya.accounts.hashers.FastArgon2PasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
# Lock an account *from one address* (issue 14): locking the account whatever the address let
# anyone lock anyone out by typing her name five times; locking the address alone would lock a
# whole office behind one NAT address after five typos by anyone in it. Guesses spread over
# many addresses, and one address trying many accounts, are slowed instead (delays, no
# captcha), except from an address the account already logged in from: himaya/accounts/
# throttle.py. Wrong second-factor codes still lock the account from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "himaya.accounts.throttle.client_address"
# Failures on one account (from every address) within the cool-off before its attempts are
# slowed; failures from one address (over every account) before that address is slowed; the
# longest wait between two attempts; how long an address where the password was accepted
# stays known to the account (not slowed).
HIMAYA_LOGIN_ACCOUNT_SLOW_AFTER = env_int("HIMAYA_LOGIN_ACCOUNT_SLOW_AFTER", 10, low=1, high=None)
HIMAYA_LOGIN_ADDRESS_SLOW_AFTER = env_int("HIMAYA_LOGIN_ADDRESS_SLOW_AFTER", 20, low=1, high=None)
HIMAYA_LOGIN_SLOW_MAX_SECONDS = env_int("HIMAYA_LOGIN_SLOW_MAX_SECONDS", 60, low=1, high=3600)
HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS = env_int("HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS", 90, low=1, high=366)
# Minutes an account stays locked from an address (a day at most).
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HIMAYA_LOCKOUT_MINUTES", 30, low=1, high=1440))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "himaya.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Wrong second-factor codes in a row (across password logins) that lock the account.
HIMAYA_SECOND_FACTOR_FAILURE_LIMIT = 5
# Accounts created or reset by an administrator get no password: an activation link, sent by
# e-mail to the person, lets them choose one. It works once, for this many hours.
HIMAYA_ACTIVATION_HOURS = env_int("HIMAYA_ACTIVATION_HOURS", 72, low=1, high=24 * 14)
OTP_TOTP_ISSUER = "Himaya"
OTP_TOTP_THROTTLE_FACTOR = 1

# Sessions: 30 minutes idle (renewed by requests), cookie gone with the browser.
SESSION_IDLE_MINUTES = env_int("HIMAYA_SESSION_IDLE_MINUTES", 30, low=1, high=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# An absolute limit too: a session kept busy still ends after this many hours.
HIMAYA_SESSION_MAX_HOURS = env_int("HIMAYA_SESSION_MAX_HOURS", 12, low=1, high=24)
# Not on every request (a database write per page, issue 17): SessionTouchMiddleware renews
# the expiry at most once a minute, so the idle limit still holds to the minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_NAME = "__Host-himaya_session" if PRODUCTION else "himaya_session"
CSRF_COOKIE_NAME = "__Host-himaya_csrf" if PRODUCTION else "himaya_csrf"

# Hardened headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int(
    "HIMAYA_HSTS_SECONDS", 31536000 if PRODUCTION else 0, low=0, high=2 * 31536000
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("HIMAYA_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HIMAYA_BEHIND_PROXY", False) else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("fr", "Français"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "himaya_language"
LOCALE_PATHS = [BASE_DIR / "himaya" / "locale"]
# Locales used for dates and numbers (CLDR, through Babel): Moroccan forms.
BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en_GB"}
# Django's own date formats (admin, form fields, a stray |date): day first, 24-hour.
FORMAT_MODULE_PATH = ["himaya.formats"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True
# The deployment's country, for national/foreign breakdowns; first in every country list.
HIMAYA_COUNTRY = env("HIMAYA_COUNTRY", "MA")
if not re.fullmatch(r"[A-Z]{2}", HIMAYA_COUNTRY or ""):
    raise ImproperlyConfigured(f"HIMAYA_COUNTRY must be an ISO 3166-1 code, not {HIMAYA_COUNTRY!r}")
# Codes left out of every country and citizenship list (forms, API, imports, field forms): a
# Moroccan state system does not list "Western Sahara" (EH) as a country. Comma-separated;
# empty for none.
_excluded = env("HIMAYA_EXCLUDED_COUNTRIES")
if _excluded is None:
    _excluded = "EH" if HIMAYA_COUNTRY == "MA" else ""
HIMAYA_EXCLUDED_COUNTRIES = frozenset(c.strip() for c in _excluded.split(",") if c.strip())
if any(not re.fullmatch(r"[A-Z]{2}", c) for c in HIMAYA_EXCLUDED_COUNTRIES):
    raise ImproperlyConfigured(
        f"HIMAYA_EXCLUDED_COUNTRIES must be ISO 3166-1 codes separated by commas, not {_excluded!r}"
    )
if HIMAYA_COUNTRY in HIMAYA_EXCLUDED_COUNTRIES:
    raise ImproperlyConfigured("HIMAYA_EXCLUDED_COUNTRIES cannot hold HIMAYA_COUNTRY")

# Identify (DOMAIN.md §3, §4). A hotline report not triaged within these limits is flagged on
# the hotline's home page.
HIMAYA_TRIAGE_MINUTES_IMMEDIATE = env_int("HIMAYA_TRIAGE_MINUTES_IMMEDIATE", 15, low=1, high=None)
HIMAYA_TRIAGE_HOURS_URGENT = env_int("HIMAYA_TRIAGE_HOURS_URGENT", 24, low=1, high=None)
# Public tips from one address per hour that go straight into the triage queue. Past it a tip
# is still kept, held "over the address limit" for a review in bulk (a carrier NAT puts many
# people behind one address, and a lost tip costs more than dismissed spam); only past the
# flood limit is a tip refused (a polite "try later", the text kept in the form). The
# follow-up form (receipt codes) keeps the first limit as a hard one.
HIMAYA_TIP_LIMIT_PER_HOUR = env_int("HIMAYA_TIP_LIMIT_PER_HOUR", 5, low=1, high=None)
HIMAYA_TIP_FLOOD_PER_HOUR = env_int("HIMAYA_TIP_FLOOD_PER_HOUR", 100, low=1, high=None)
if not 1 <= HIMAYA_TIP_LIMIT_PER_HOUR <= HIMAYA_TIP_FLOOD_PER_HOUR:
    raise ImproperlyConfigured(
        "HIMAYA_TIP_LIMIT_PER_HOUR must be at least 1 and at most HIMAYA_TIP_FLOOD_PER_HOUR"
    )
# Protect (DOMAIN.md §3): a referral not answered within these limits is flagged to both sides.
HIMAYA_REFERRAL_ANSWER_HOURS = env_int("HIMAYA_REFERRAL_ANSWER_HOURS", 48, low=1, high=None)
HIMAYA_REFERRAL_ANSWER_HOURS_URGENT = env_int(
    "HIMAYA_REFERRAL_ANSWER_HOURS_URGENT", 4, low=1, high=None
)
# Prosecute (DOMAIN.md §5): a proceeding with no event for this many months is stalled.
HIMAYA_STALLED_MONTHS = env_int("HIMAYA_STALLED_MONTHS", 6, low=1, high=None)
# Public statistics (DOMAIN.md §7): counts from 1 to k-1 are never published; the published
# tables are cached this many seconds.
HIMAYA_DISCLOSURE_K = env_int("HIMAYA_DISCLOSURE_K", 5, low=2, high=100)
# Linkage (DOMAIN.md §8): a record being entered shows the existing records whose match
# probability reaches this percentage; the batch de-duplication sends pairs from the review
# percentage to the linkage desk, and links by itself only from the auto-link percentage, which
# is off (0) unless an administrator sets it.
HIMAYA_LINKAGE_ENTRY_PERCENT = env_int("HIMAYA_LINKAGE_ENTRY_PERCENT", 10, low=1, high=99)
HIMAYA_LINKAGE_REVIEW_PERCENT = env_int("HIMAYA_LINKAGE_REVIEW_PERCENT", 80, low=1, high=99)
HIMAYA_LINKAGE_AUTOLINK_PERCENT = env_int("HIMAYA_LINKAGE_AUTOLINK_PERCENT", 0, low=0, high=100)
if HIMAYA_LINKAGE_AUTOLINK_PERCENT and not (
    HIMAYA_LINKAGE_REVIEW_PERCENT < HIMAYA_LINKAGE_AUTOLINK_PERCENT <= 100
):
    raise ImproperlyConfigured(
        "HIMAYA_LINKAGE_AUTOLINK_PERCENT must be 0 (off) or above the review percentage"
    )
# Notifications (himaya.notifications). Mails link back to Himaya at this address (a task has
# no request to read it from): by default the first of ALLOWED_HOSTS over HTTPS in production.
HIMAYA_BASE_URL = env("HIMAYA_BASE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}/" if PRODUCTION else "http://127.0.0.1:8000/"
)
if not HIMAYA_BASE_URL.startswith(("https://", "http://")) or any(
    c in HIMAYA_BASE_URL for c in " \n\r"
):
    raise ImproperlyConfigured(
        f"HIMAYA_BASE_URL must be an http(s) address, not {HIMAYA_BASE_URL!r}"
    )
if PRODUCTION and not HIMAYA_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("HIMAYA_BASE_URL must use https in production")
# A grant ending within this many days is announced to the organisation holding it.
HIMAYA_GRANT_ENDING_DAYS = env_int("HIMAYA_GRANT_ENDING_DAYS", 7, low=1, high=60)
# A mail that fails is tried again by `himaya notify` up to this many times.
HIMAYA_MAIL_ATTEMPTS = env_int("HIMAYA_MAIL_ATTEMPTS", 5, low=1, high=20)
# Exports holding personal data (S18) are encrypted archives kept this many hours for one
# download, then erased; never more than a day.
HIMAYA_EXPORT_HOURS = env_int("HIMAYA_EXPORT_HOURS", 24, low=1, high=24)
# Background work (DESIGN.md): django-tasks with its database backend; `himaya db_worker` runs
# the queue (`himaya run` starts one beside the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The annual report is computed while the page waits up to this many persons recorded; beyond,
# in the background with its progress shown (0: always in the background).
HIMAYA_REPORT_INLINE_PERSONS = env_int("HIMAYA_REPORT_INLINE_PERSONS", 20000, low=0, high=None)
# An import file of up to this many rows is checked and imported while the page waits; a larger
# one by the background worker, its page showing the progress (0: always in the background).
# Keep it under what the web server lets a request last (gunicorn: 30 s by default; registers
# import about a hundred rows a second).
HIMAYA_IMPORT_INLINE_ROWS = env_int("HIMAYA_IMPORT_INLINE_ROWS", 1000, low=0, high=None)
# An analyst's de-identified export or CTDC extract of up to this many dossiers is built while the
# page waits; beyond, by the background worker (about 1.3 ms a dossier; 0: always there).
HIMAYA_EXPORT_INLINE_DOSSIERS = env_int("HIMAYA_EXPORT_INLINE_DOSSIERS", 5000, low=0, high=None)
# A person is erased while the page waits up to this many persons recorded; beyond, by the
# background worker (an erasure reads every encrypted text once: minutes at a million persons).
HIMAYA_ERASURE_INLINE_PERSONS = env_int("HIMAYA_ERASURE_INLINE_PERSONS", 20000, low=0, high=None)
HIMAYA_PUBLIC_STATS_CACHE_SECONDS = env_int(
    "HIMAYA_PUBLIC_STATS_CACHE_SECONDS", 300, low=0, high=None
)
# Organisation types whose members may record a formal identification decision.
HIMAYA_DECIDING_ORG_TYPES = frozenset(
    t.strip()
    for t in (
        env("HIMAYA_DECIDING_ORG_TYPES")
        or "police,gendarmerie,labour_inspectorate,prosecution,court"
    ).split(",")
    if t.strip()
)

# Field screening on ODK devices (himaya/field, docs/field.md). Form-level encryption is always
# on: every XForm carries the public key of HIMAYA_ODK_PRIVATE_KEYS (or _FILE: RSA private keys
# in PEM, 2048 bits or more, newest first), so a filled screening is encrypted on the phone. The
# first key encrypts the forms handed out; every key decrypts, so a key is rotated by putting a
# new one first and keeping the old ones until the phones have sent what they hold.
HIMAYA_ODK_PRIVATE_KEYS = _field_keys.private_keys(
    env("HIMAYA_ODK_PRIVATE_KEYS") or "", production=PRODUCTION, var_dir=VAR_DIR
)
# Days a field device's credential lives (the enrolment page offers up to this many).
HIMAYA_FIELD_DEVICE_DAYS = env_int("HIMAYA_FIELD_DEVICE_DAYS", 90, low=1, high=366)
# The largest OpenRosa submission accepted, in megabytes (told to the phones beforehand).
HIMAYA_OPENROSA_MAX_MB = env_int("HIMAYA_OPENROSA_MAX_MB", 10, low=1, high=100)
# The largest request body, in megabytes (core.middleware.RequestSizeMiddleware): above every
# upload accepted, the OpenRosa submissions' included.
HIMAYA_MAX_REQUEST_MB = env_int(
    "HIMAYA_MAX_REQUEST_MB", max(16, HIMAYA_OPENROSA_MAX_MB + 2), low=8, high=200
)
if HIMAYA_MAX_REQUEST_MB <= HIMAYA_OPENROSA_MAX_MB:
    raise ImproperlyConfigured("HIMAYA_MAX_REQUEST_MB must be above HIMAYA_OPENROSA_MAX_MB")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "himaya" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Request ids: an incoming X-Request-Id is kept only behind a proxy that sets it itself.
HIMAYA_TRUST_REQUEST_ID = env_bool("HIMAYA_TRUST_REQUEST_ID", False)

# E-mail (activation links). Production sends through SMTP: EMAIL_HOST (default: a relay on
# this machine), EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD (or _FILE), EMAIL_USE_TLS or
# EMAIL_USE_SSL, and the sender DEFAULT_FROM_EMAIL. Development prints messages on the console;
# the test suite keeps them in memory.
EMAIL_BACKEND = env("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.locmem.EmailBackend"
    if HIMAYA_ENV == "test"
    else "django.core.mail.backends.console.EmailBackend"
)
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a mail server's stand-in:
# the browser tests read what was sent), the folder the messages are written to.
if env("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
EMAIL_HOST = env("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, low=1, high=65535)
EMAIL_HOST_USER = env("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
if PRODUCTION and EMAIL_HOST_PASSWORD and not (EMAIL_USE_TLS or EMAIL_USE_SSL):
    raise ImproperlyConfigured("EMAIL_HOST_PASSWORD needs EMAIL_USE_TLS or EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, low=1, high=300)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or (
    f"Himaya <no-reply@{ALLOWED_HOSTS[0].lstrip('.')}>"
    if ALLOWED_HOSTS and ALLOWED_HOSTS[0] not in {"*", "127.0.0.1"}
    else "Himaya <no-reply@localhost>"
)
if "@" not in DEFAULT_FROM_EMAIL or "\n" in DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(
        f"DEFAULT_FROM_EMAIL must be an e-mail address, not {DEFAULT_FROM_EMAIL!r}"
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Himaya] "

REST_FRAMEWORK = {
    # JSON only, and deep nesting is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": ["himaya.core.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "himaya.accounts.api_auth.ApiTokenAuthentication",
        "himaya.accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["himaya.accounts.api_auth.IsMember"],
    # Both keep the published schema true (S20): errors declared, a bad ?page= is a 400.
    "DEFAULT_SCHEMA_CLASS": "himaya.core.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "himaya.core.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "himaya.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Himaya API",
    "DESCRIPTION": (
        "Organisations, persons, dossiers, hotline reports, screenings, identification decisions "
        "and non-punishment alerts of the national referral mechanism."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two "outcome" fields with different choices: name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "AlertOutcomeEnum": "himaya.cases.models.AlertOutcome",
        "TriageOutcomeEnum": "himaya.hotline.models.Outcome",
    },
    # Request bodies refuse undeclared fields; empty filters mean "not given" (core.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "himaya.core.schema.declare_inputs",
    ],
}

# Logs carry request ids, never personal data (S16).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "himaya.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

HIMAYA_LIST_PAGE_SIZE = 25
