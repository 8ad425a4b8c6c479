"""Brik's settings: one module, driven by environment variables.

Defaults are safe for a laptop (SQLite under ./data, debug on). Production is
switched on by BRIK_DEBUG=False, and then the process refuses to start without
a real secret key.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from brik.protection.crypto import malformed_key_positions

BASE_DIR = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "brik-development-secret-not-for-production"  # noqa: S105


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for container and systemd secrets)."""
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.getenv(name, default)


DEBUG = envbool("BRIK_DEBUG", "True")
SECRET_KEY = envsecret("BRIK_SECRET_KEY", DEVELOPMENT_SECRET if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "BRIK_SECRET_KEY must be set to a random value of at least 40 characters "
        "when BRIK_DEBUG=False."
    )

# Identity fields and narratives are encrypted at rest (brik.protection).
# BRIK_ENCRYPTION_KEYS: comma-separated Fernet keys, the first encrypts, all
# decrypt (so a key can be rotated with `brik rotate_keys`). The blind index
# key makes exact name search possible without storing names in clear text.
DEVELOPMENT_ENCRYPTION_KEY = "RjQVybdvP7N5ImzcYq2p01UQP1mhGwhwXLQUKoBFl-k="
DEVELOPMENT_BLIND_INDEX_KEY = "y0U3ODPd4Ns6_bXRvlDblWNyqruzRB5HdnaRPpcwbmU="
ENCRYPTION_KEYS = [
    k.strip()
    for k in envsecret("BRIK_ENCRYPTION_KEYS", DEVELOPMENT_ENCRYPTION_KEY if DEBUG else "").split(
        ","
    )
    if k.strip()
]
BLIND_INDEX_KEY = envsecret("BRIK_BLIND_INDEX_KEY", DEVELOPMENT_BLIND_INDEX_KEY if DEBUG else "")
# Bits kept of each search token's HMAC (brik.search, docs/search.md): 15 makes every
# value shared by about three persons at 100,000. Changing it needs `brik reindex_search`.
BRIK_SEARCH_TOKEN_BITS = envint("BRIK_SEARCH_TOKEN_BITS", "15")
if not 8 <= BRIK_SEARCH_TOKEN_BITS <= 31:  # an integer column on PostgreSQL too
    raise ImproperlyConfigured("BRIK_SEARCH_TOKEN_BITS must be between 8 and 31.")

if bad := malformed_key_positions(ENCRYPTION_KEYS):
    # Never echo the value: it may be a real key with a typo.
    raise ImproperlyConfigured(
        f"BRIK_ENCRYPTION_KEYS: key number {', '.join(map(str, bad))} is not a Fernet key "
        "(32 url-safe base64-encoded bytes); `brik generate_keys` prints a valid one."
    )
if not DEBUG and (
    not ENCRYPTION_KEYS
    or DEVELOPMENT_ENCRYPTION_KEY in ENCRYPTION_KEYS
    or not BLIND_INDEX_KEY
    or BLIND_INDEX_KEY == DEVELOPMENT_BLIND_INDEX_KEY
):
    raise ImproperlyConfigured(
        "BRIK_ENCRYPTION_KEYS and BRIK_BLIND_INDEX_KEY must be set to your own keys when "
        "BRIK_DEBUG=False (generate them with `brik generate_keys`)."
    )

ALLOWED_HOSTS = [h for h in os.getenv("BRIK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("BRIK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_NAME = os.getenv("BRIK_SITE_NAME", "Brik")
CENTRE_NAME = os.getenv("BRIK_CENTRE_NAME", "Center mod Menneskehandel")
# The centre's name in English, for the English pages, reports and e-mails.
CENTRE_NAME_EN = os.getenv("BRIK_CENTRE_NAME_EN", "Danish Centre against Human Trafficking")

# Brik's own files: the SQLite database and the backups. Brik creates the
# folder 0700 and its files 0600 (brik.protection.files); `brik check` warns
# when anything in it is wider.
DATA_DIR = Path(os.getenv("BRIK_DATA_DIR", BASE_DIR / "data"))
BRIK_BACKUP_DIR = Path(os.getenv("BRIK_BACKUP_DIR", DATA_DIR / "backups"))
# Case attachments (brik.casefiles), encrypted, outside the database.
BRIK_FILES_DIR = Path(os.getenv("BRIK_FILES_DIR", DATA_DIR / "files"))
# Large exports run as background jobs (`brik run_jobs`); their files, encrypted, live here.
BRIK_EXPORT_DIR = Path(os.getenv("BRIK_EXPORT_DIR", DATA_DIR / "exports"))

INSTALLED_APPS = [
    # Django's admin with Brik's site: the access policy and two-factor
    # verification decide who enters (brik.accounts.admin_site).
    "brik.accounts.apps.BrikAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `brik serve --dev` leaves static files to WhiteNoise too.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    # Brik's devices are its own (brik.accounts.models: secrets encrypted, recovery
    # codes hashed); these two stay installed, empty, for the migration that moved
    # their rows (accounts 0004).
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # django-ninja's templates and static files: the API's documentation page is
    # served with its bundled Swagger UI, from Brik's own static files (no CDN).
    "ninja",
    "brik.core",
    "brik.accounts",
    "brik.api",
    "brik.audit",
    "brik.cases",
    "brik.cooperation",
    "brik.casefiles",
    "brik.demo",
    "brik.exchange",
    "brik.protection",
    "brik.search",
    "brik.statistics",
    "brik.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions and the rest are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for a logged-in person are never stored by browsers or proxies.
    "brik.core.middleware.NoStoreWhenLoggedInMiddleware",
    # django-otp's, without decrypting the device's secret on every request.
    "brik.accounts.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A form sent after the session ended is kept (encrypted) and given back after
    # the login; an HTMX request of an ended session sends the window to log in.
    "brik.accounts.middleware.KeepFormAcrossLoginMiddleware",
    # After OTPMiddleware: sends a user whose role needs two-factor to the step.
    "brik.accounts.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brik.urls"
WSGI_APPLICATION = "brik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "brik" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "brik.core.context_processors.site",
                "brik.accounts.context_processors.access_notices",
                "brik.accounts.context_processors.session_timeout",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("BRIK_DATABASE_URL", f"sqlite:///{DATA_DIR / 'brik.sqlite3'}"),
        # PostgreSQL: each worker thread keeps its connection for a minute
        # instead of opening one per request (a new connection costs the server
        # a process and the password check: a stored report served 131 requests
        # a second with a new connection each, 427 with kept ones, at 100,000
        # persons, docs/performance.md). Each is checked before it is reused, so
        # a restarted database answers the next request without an error.
        conn_max_age=envint("BRIK_DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    random_page_cost := os.getenv("BRIK_PG_RANDOM_PAGE_COST", "1.1")
):
    # The planner's price of reading a page out of order, as for an SSD; PostgreSQL's
    # default of 4 is a spinning disk's, and made it read My work's follow-ups by a hash
    # join over every departed return instead of from the caseworker's cases by index
    # (My work 66 -> 32 ms in process at 100,000 persons, the report unchanged;
    # docs/performance.md). Empty: the database server's own setting.
    try:
        _page_cost = float(random_page_cost)
    except ValueError:
        _page_cost = -1.0
    if not 0 < _page_cost < 1000:
        raise ImproperlyConfigured(
            f"BRIK_PG_RANDOM_PAGE_COST must be a positive number, not {random_page_cost!r}"
        )
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost={_page_cost}".strip()
# PostgreSQL: the queries every page asks (brik.core.kept: the session's, the case
# page's, My work's lists) run as prepared statements, parsed and planned once per
# connection instead of on every request, their constants written in so that the kept
# plan still uses the partial indexes (brik/core/kept.py; docs/performance.md, "Thirteenth
# round"). Django's other queries are not prepared. False behind a pooler that cannot
# keep prepared statements (PgBouncer in transaction mode before 1.21).
PG_PREPARED_STATEMENTS = DATABASES["default"][
    "ENGINE"
] == "django.db.backends.postgresql" and envbool("BRIK_PG_PREPARED_STATEMENTS", "True")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that sends no query when the connection
    # has heard nothing from the server since its last answer (brik/core/postgresql).
    DATABASES["default"]["ENGINE"] = "brik.core.postgresql"
if PG_PREPARED_STATEMENTS:
    # psycopg prepares a statement of a cursor that binds on the server at its first run.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
    # One plan per statement, made at its first run for any values: the statements are
    # written for it (the constants a plan depends on are in their text). PostgreSQL's
    # own choice kept planning two of them on every run, for their values: My work's
    # follow-ups (0.7 ms of planning to run 0.2) and the name search's tokens
    # (docs/performance.md, "Twentieth round"). Only prepared statements keep a plan;
    # Django's other queries are planned at each run as before.
    _options = DATABASES["default"]["OPTIONS"]
    _options["options"] = (
        f"{_options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each PRAGMA runs on every new connection. WAL: readers never block the
    # writer nor the writer the readers. synchronous=NORMAL: in WAL mode a crash
    # of the machine can lose the last commits but never corrupts the file.
    # mmap and a bigger page cache make reads cheap; temporary tables (sorts,
    # GROUP BY) stay in memory.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA mmap_size=1073741824;"
            "PRAGMA cache_size=-32768;"
            "PRAGMA temp_store=MEMORY;"
        ),
        # Writers take the lock when their transaction begins, so two of them
        # never deadlock upgrading a read lock; a second writer waits up to
        # `timeout` seconds (SQLite's busy timeout) instead of failing at once
        # with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Deleted and overwritten values are zeroed on disk, not left in free pages (retention).
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA secure_delete=ON;"
    # One connection per worker thread, kept: the PRAGMAs above and SQLite's
    # page cache live as long as the connection (BRIK_DB_CONN_MAX_AGE=0 closes
    # it after every request).
    DATABASES["default"]["CONN_MAX_AGE"] = envint("BRIK_DB_CONN_MAX_AGE", "600")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login while django-axes has it locked out.
    "brik.accounts.backends.LockoutBackend",
    # Django's ModelBackend, reading the user of a session with their organisation.
    "brik.accounts.backends.UserBackend",
]
# Argon2 hashes new passwords; the others still verify older hashes, which
# Django then upgrades to Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.getenv("BRIK_LANGUAGE", "da")
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "brik" / "locale"]
TIME_ZONE = os.getenv("BRIK_TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True
# English dates day-first (British), as read in Denmark.
FORMAT_MODULE_PATH = ["brik.formats"]

STATIC_URL = "static/"
# `brik serve` collects the static files here (brik.core.staticfiles) and
# WhiteNoise serves them: hashed names cached for a year, gzip and Brotli.
# Public files only: a web server serving them itself needs a folder it can
# read, so in production BRIK_STATIC_ROOT may point outside the private data folder.
STATIC_ROOT = Path(os.getenv("BRIK_STATIC_ROOT", DATA_DIR / "static"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "brik.core.staticfiles.StaticStorage",
        # Readable by the web server even though `brik` runs with umask 077.
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
# Front-end packages come from npm (package.json, installed by `make install`);
# only the files Brik uses are exposed, under static/vendor/ (a file a
# template starts to use must be added to STATIC_VENDOR_FILES).
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "brik" / "static",
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
STATIC_VENDOR_FILES = {
    "vendor/pico": ["pico.min.css"],
    # With their source maps: the minified files name them.
    "vendor/tom-select": ["css/tom-select.default.min.css*", "js/tom-select.complete.min.js*"],
}
STATICFILES_FINDERS = [
    "brik.core.staticfiles.VendorFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

EMAIL_BACKEND = os.getenv("BRIK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("BRIK_DEFAULT_FROM_EMAIL", "brik@localhost")

# Case-work rules that a centre may tune; the legal limits themselves are in
# brik.cases.rules and are not configurable.
BRIK_DEADLINE_WARNING_DAYS = envint("BRIK_DEADLINE_WARNING_DAYS", "7")
BRIK_DECISION_PENDING_DAYS = envint("BRIK_DECISION_PENDING_DAYS", "14")
# The same input sent again to the same form within this many minutes (the back
# button, then "send") is recognised and saved once (brik.core.services).
BRIK_RESUBMIT_MINUTES = envint("BRIK_RESUBMIT_MINUTES", "60")
# How long a form sent after the session ended is kept for its author (encrypted).
BRIK_KEPT_FORM_MINUTES = envint("BRIK_KEPT_FORM_MINUTES", "30")
# The session warning appears this many seconds before the session would end.
BRIK_SESSION_WARNING_SECONDS = envint("BRIK_SESSION_WARNING_SECONDS", "300")
# Where Brik is reached: the links in the daily digest (`brik notify`) start with it.
BRIK_BASE_URL = os.getenv("BRIK_BASE_URL", "http://localhost:8000")

# The partner API (brik.api): calls a minute per token, counted in the database.
BRIK_API_RATE_LIMIT = envint("BRIK_API_RATE_LIMIT", "120")

# Disclosure control of published statistics: counts from 1 to this minus one
# are shown as "<5" (brik.statistics.disclosure).
BRIK_SDC_THRESHOLD = envint("BRIK_SDC_THRESHOLD", "5")
# The protection range the attacker's audit demands of every hidden cell
# (brik.statistics.audit): the interval an outsider can derive from everything
# published must be at least this wide (and, for a count below the threshold,
# hold another value below the threshold). Publishing refuses otherwise.
BRIK_DISCLOSURE_MIN_WIDTH = envint("BRIK_DISCLOSURE_MIN_WIDTH", "1")

# The citizenships the published report lists one by one, every year, whether or
# not anyone holds them (ISO 3166-1 alpha-2, comma-separated). Every other
# citizenship is counted in "other EU countries" or "other countries", so that a
# row's presence never tells that someone of that country was identified. Change
# the list between publications only: published years keep the rows they had.
BRIK_REPORT_CITIZENSHIPS = tuple(
    code.strip().upper()
    for code in os.getenv(
        "BRIK_REPORT_CITIZENSHIPS",
        "DK,NG,RO,TH,VN,MA,UG,HU,UA,BG,PL,LT,PH,CN,GH,KE,BR,AF,IN",
    ).split(",")
    if code.strip()
)

# The report's counts kept per slice of persons and counted again only where persons
# changed (brik.statistics.selectors.stored). False counts everyone on every build
# (seconds at a million persons); `brik statistics_check` compares the two.
BRIK_STATISTICS_KEPT_COUNTS = envbool("BRIK_STATISTICS_KEPT_COUNTS", "True")

# Retention: years after a person's last case was closed before their identity
# fields and narrative notes are dropped by `brik apply_retention`.
BRIK_RETENTION_IDENTITY_YEARS = envint("BRIK_RETENTION_IDENTITY_YEARS", "5")
BRIK_RETENTION_NARRATIVE_YEARS = envint("BRIK_RETENTION_NARRATIVE_YEARS", "5")
# Backups hold the identities that retention drops: `brik apply_retention`
# deletes Brik's backups in BRIK_BACKUP_DIR older than this many days.
BRIK_BACKUP_RETENTION_DAYS = envint("BRIK_BACKUP_RETENTION_DAYS", "90")
# Web exports of more cases than this run as a background job with an expiring download.
BRIK_EXPORT_JOB_THRESHOLD = envint("BRIK_EXPORT_JOB_THRESHOLD", "50000")
BRIK_EXPORT_DOWNLOAD_HOURS = envint("BRIK_EXPORT_DOWNLOAD_HOURS", "24")
if BRIK_BACKUP_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("BRIK_BACKUP_RETENTION_DAYS must be at least 1.")

# Case notes and attachments (brik.casefiles, docs/casefiles.md).
# A note can be edited by its author for this many minutes; later it is
# corrected by a new note that refers to it.
BRIK_NOTE_EDIT_MINUTES = envint("BRIK_NOTE_EDIT_MINUTES", "15")
# The largest attachment accepted, in megabytes.
BRIK_ATTACHMENT_MAX_MB = envint("BRIK_ATTACHMENT_MAX_MB", "20")
# A command that scans an uploaded file before it is accepted ("{path}" is the
# file); a non-zero exit refuses the file. Empty: no scan. For example
# BRIK_VIRUS_SCAN_COMMAND="clamdscan --no-summary --fdpass {path}".
BRIK_VIRUS_SCAN_COMMAND = os.getenv("BRIK_VIRUS_SCAN_COMMAND", "")
BRIK_VIRUS_SCAN_TIMEOUT = envint("BRIK_VIRUS_SCAN_TIMEOUT", "60")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("BRIK_LOG_LEVEL", "INFO")},
    # Logins and lockouts are in Brik's own action log; django-axes need only
    # report its warnings (a lockout) and errors.
    "loggers": {"axes": {"level": "WARNING"}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("BRIK_SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = envint("BRIK_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer asks each app server for /health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SESSION_COOKIE_HTTPONLY = True


def code_fingerprint(package: Path) -> str:
    """A digest of a package's source (its tests left out): the cache's key prefix, so
    that objects kept by another version of the code (pickled reports, tables) are
    never read by this one, on a server restarted after an upgrade or beside one that
    is not upgraded yet."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if "tests" not in path.relative_to(package).parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Django's cache lives in the database (table brik_cache, made by core's migration
# 0003), so every worker and every app server shares it: a report or a suppression
# pattern built by one is kept for all (brik.statistics.caching, disclosure).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "brik_cache",
        "KEY_PREFIX": code_fingerprint(BASE_DIR / "brik" / "statistics"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Sessions are kept in the database (shared by every app server) under a keyed
# digest of their key, with whose session it is (brik.accounts.sessions).
SESSION_ENGINE = "brik.accounts.sessions"
# A login ends after this many seconds without a request, and when the
# browser closes. Requests move the expiry on; the session is written for
# that at most once a minute, not on every request.
SESSION_COOKIE_AGE = envint("BRIK_SESSION_AGE", str(30 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): scripts only from Brik's own static
# files. Inline styles stay allowed because the statistics pages embed their
# report CSS in the page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Behind BRIK_PROXY_COUNT trusted reverse proxies the client's address is read
# from X-Forwarded-For, counting the proxies from the right; the lockout and
# the action log read it from brik.accounts.addresses.client_ip.
BRIK_PROXY_COUNT = envint("BRIK_PROXY_COUNT", "0")

# Login throttling (django-axes): after BRIK_LOGIN_FAILURE_LIMIT wrong
# passwords for one user name from one address, that pair is locked out for
# BRIK_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = envint("BRIK_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("BRIK_LOCKOUT_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "brik.accounts.addresses.client_ip"
AXES_VERBOSE = False

# Two-factor login (django-otp): TOTP apps show this name beside the code.
OTP_TOTP_ISSUER = SITE_NAME
BRIK_RECOVERY_CODES = 10
