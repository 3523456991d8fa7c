"""Counterclaim settings, all read from the environment in this one file.

With nothing set, the app runs on an embedded SQLite file. Production is the default mode:
DEBUG is off unless asked for, and then SECRET_KEY and ALLOWED_HOSTS must be given, so no
development default can reach a public server.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The organization that publishes the fact checks (ClaimReview's author, page footers).
SITE_NAME = env.str("SITE_NAME", default="Counterclaim")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The admin site asks staff for a second factor (accounts/admin_site.py).
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # intcomma: "1,234 claims"
    "django.contrib.postgres",  # search and trigram lookups; harmless on SQLite
    "django_htmx",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "sources",
    "claims",
    "tokens",
    "reader_requests",
    "trust",
    "embeds",
    "django_tasks_db",
    "jobs",
    "webhooks",
    "archives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the public cache, so cached responses get the policy of the running settings.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor (accounts/).
    "django_otp.middleware.OTPMiddleware",
    # Lets every history record name who made the change (docs/history.md).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Conditional GET (ETag/Last-Modified, 304) for every response, cached or not.
    "django.middleware.http.ConditionalGetMiddleware",
    "claims.cache.PublicCacheMiddleware",
    "config.db_routers.ReplicaReadsMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "claims.context_processors.site",
            ],
        },
    },
]

# History of every change (docs/history.md). No reverting from the history page: a revert would
# save an old row whole, status included, past the workflow's checks.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Editors sign in through the admin; the public site has no accounts.
LOGIN_URL = "admin:login"

# Login lockouts (django-axes; docs/deploy.md, "Login lockouts"). Its backend comes first so a
# locked-out client is refused before any backend computes a password hash: repeated wrong
# guesses cost a database read, not a second of CPU each. Attempts are counted per client
# address (config/client_ip.py), across usernames, which also counts each username's
# failures from that address; locking a username everywhere would let anyone lock an editor
# out. Editors see and clear lockouts in the admin; `manage.py axes_reset` clears them all.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"

# Two-factor sign-in (django-otp; accounts/): staff may enrol an authenticator app; with
# ADMIN_REQUIRE_2FA the admin admits only staff who signed in with it.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = SITE_NAME

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# A read replica (streaming replication of the primary) for anonymous readers' requests;
# see config/db_routers.py. Tests read the primary through it.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_routers.ReplicaRouter"]
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # The embedded database serves several requests at once (runserver's threads: an htmx
        # request while a form posts). A transaction takes the write lock when it begins, so a
        # second writer waits for it rather than failing at once ("database is locked": two
        # readers each wanting to write would otherwise deadlock); and readers read beside the
        # writer (the write-ahead log).
        database.setdefault("OPTIONS", {}).update(
            transaction_mode="IMMEDIATE",
            timeout=20,
            init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        )
    if database["ENGINE"] == "django.db.backends.postgresql":
        from config.db_pool import check_connection

        # psycopg's own connection pool; persistent connections must then stay off.
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
            # The pool checks each connection before handing it out (a round trip): after a
            # database restart, pooled connections are dead, and without the check each would
            # fail one request before being dropped. Finding one dead, it checks them all
            # (config/db_pool.py).
            "check": check_connection,
        }
        database["CONN_MAX_AGE"] = 0
        database["CONN_HEALTH_CHECKS"] = True
        # Parameters sent apart from the query, so that a query can be prepared; only those
        # asked for are (config/prepared_statements.py).
        database["OPTIONS"]["server_side_binding"] = True
# Off for a pooler that cannot keep a connection's prepared statements (PgBouncer in
# transaction mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)

# The cache must be one for every process that serves: it holds the public cache's tag versions
# (claims/cache.py) and the API throttles' counts. A per-process memory cache under several
# gunicorn workers serves pages a write has retired (each worker keeps its own versions) and
# multiplies every rate limit, so production refuses to start without Redis.
# Not a database cache instead: every write would then hold row locks on the tag versions until
# its transaction commits (editors' saves would queue behind each other, and could deadlock),
# and every throttled request would write a row. LOCAL_MEMORY_CACHE is for one process only
# (the test suite, a build step); DEBUG implies it.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
elif DEBUG or env.bool("LOCAL_MEMORY_CACHE", default=False):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off: every worker process must share one cache "
        "(docs/deploy.md). LOCAL_MEMORY_CACHE=true is only for a single process."
    )
# What depends only on the code and the settings, such as every page's header and footer
# (templates/base.html): kept in each process's memory, without a round trip to Redis. Not
# with DEBUG on, where an edited template must show on the next request.
CACHES["process"] = {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache"
    if DEBUG
    else "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "process",
}

# Background jobs (jobs/, docs/deploy.md "Background jobs"): Django's tasks framework, stored
# in the database by django-tasks-db and run by a worker process (manage.py worker) beside
# the web process. TASKS_IMMEDIATE runs each task inline when it is enqueued, in the process
# that enqueued it: the test suite does (pyproject.toml), so any app's tests see its tasks'
# effects at once; tests/test_jobs.py switches to the database backend and runs the worker.
TASKS_IMMEDIATE = env.bool("TASKS_IMMEDIATE", default=False)
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# Link checks as a job (jobs.tasks.check_links): each run checks the LINK_CHECK_BATCH sources
# whose links were checked longest ago (or never), then runs again LINK_CHECK_PAUSE_SECONDS
# later; a source's links are checked again after LINK_CHECK_EVERY_HOURS.
LINK_CHECK_BATCH = env.int("LINK_CHECK_BATCH", default=20)
LINK_CHECK_PAUSE_SECONDS = env.int("LINK_CHECK_PAUSE_SECONDS", default=600)
LINK_CHECK_EVERY_HOURS = env.int("LINK_CHECK_EVERY_HOURS", default=24)

# Webhooks (webhooks/, docs/api.md "Webhooks"): deliveries are tried WEBHOOK_MAX_ATTEMPTS
# times, waiting WEBHOOK_RETRY_SECONDS times 4 to the power of the attempts made so far
# between tries (1 min, 4 min, 16 min, ...), each with WEBHOOK_TIMEOUT_SECONDS to answer.
# Partners' URLs may not point at loopback, private, link-local or reserved addresses (a
# webhook must not become a way to reach the servers behind the firewall);
# WEBHOOK_ALLOW_LOOPBACK lets them use 127.0.0.0/8 and ::1, for tests and local trials only.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=60)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=False)

# Benchmark mode (make bench): /bench/ views and an X-Queries header; never in production.
BENCH = env.bool("BENCH", default=False)
if BENCH:
    MIDDLEWARE.insert(0, "config.bench.QueryCountMiddleware")

# How long an anonymous reader's page or API read may be served from the cache. A change to
# the data retires the cached responses that show it (claims/cache.py); 0 turns caching off.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)

# Searches of the public claim list per client address, in DRF's syntax ("30/minute"); empty
# for no limit. Searches served from the public cache do not count (claims/throttling.py).
SEARCH_THROTTLE = env.str("SEARCH_THROTTLE", default="30/minute")
# Texts checked at /check-text/ per client address, in the same syntax: each one matches every
# sentence of up to 20,000 characters, so fewer than searches (claims/check_text.py).
CHECK_TEXT_THROTTLE = env.str("CHECK_TEXT_THROTTLE", default="10/minute")

# Readers' requests (reader_requests/): check requests and error reports. Submissions per client
# address (config/client_ip.py), in DRF's syntax ("5/hour"), pages and API together; empty for
# no limit. READER_REQUEST_CHALLENGE: the ALTCHA proof of work each submission must carry
# (off only for trials); READER_REQUEST_CHALLENGE_WORK: at most how many hashes it takes
# (half that on average; well under a second in a browser at the default). Emails and
# addresses are removed READER_REQUEST_RETENTION_DAYS after a request
# was sent (manage.py purge_request_personal_data; docs/deploy.md).
READER_REQUEST_THROTTLE = env.str("READER_REQUEST_THROTTLE", default="5/hour")
READER_REQUEST_CHALLENGE = env.bool("READER_REQUEST_CHALLENGE", default=True)
READER_REQUEST_CHALLENGE_WORK = env.int("READER_REQUEST_CHALLENGE_WORK", default=50_000)
READER_REQUEST_RETENTION_DAYS = env.int("READER_REQUEST_RETENTION_DAYS", default=90)
if READER_REQUEST_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("READER_REQUEST_RETENTION_DAYS must be at least 1.")

# The nightly open-data dump (manage.py export_dump), served at /data/.
OPEN_DATA_DIR = env.path("OPEN_DATA_DIR", default=BASE_DIR / "open-data")
OPEN_DATA_LICENSE = env.str("OPEN_DATA_LICENSE", default="CC BY 4.0")
# The worker writes the dump every night at this hour (UTC): jobs.tasks.export_open_data.
OPEN_DATA_DUMP_HOUR = env.int("OPEN_DATA_DUMP_HOUR", default=3)
OPEN_DATA_LICENSE_URL = env.str(
    "OPEN_DATA_LICENSE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)

# Files the app writes: archived copies of sources (archives/, docs/deploy.md). Never served
# from here as they are: the archive's views check that a copy may be public and serve it
# inert. Keep it on a volume that is backed up, like the database.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Archiving sources (archives/; docs/deploy.md, "Archiving sources"). The user agent's first
# word is the one robots.txt rules are matched against.
ARCHIVE_USER_AGENT = env.str(
    "ARCHIVE_USER_AGENT", default=f"{SITE_NAME.replace(' ', '')}Archiver/1.0 (+{SITE_URL})"
)
ARCHIVE_MAX_BYTES = env.int("ARCHIVE_MAX_BYTES", default=10 * 1024 * 1024)
ARCHIVE_CONNECT_TIMEOUT = env.float("ARCHIVE_CONNECT_TIMEOUT", default=10.0)
ARCHIVE_READ_TIMEOUT = env.float("ARCHIVE_READ_TIMEOUT", default=20.0)
ARCHIVE_TOTAL_TIMEOUT = env.float("ARCHIVE_TOTAL_TIMEOUT", default=60.0)
ARCHIVE_MAX_REDIRECTS = env.int("ARCHIVE_MAX_REDIRECTS", default=5)
ARCHIVE_RESPECT_ROBOTS = env.bool("ARCHIVE_RESPECT_ROBOTS", default=True)
# Only for tests and local trials: lets the archiver fetch from loopback and private
# networks, which in production would let an editor's URL reach internal services (SSRF).
ARCHIVE_ALLOW_PRIVATE_ADDRESSES = env.bool("ARCHIVE_ALLOW_PRIVATE_ADDRESSES", default=False)
# Publishing a claim archives its and its evidence's sources that have no snapshot yet.
ARCHIVE_ON_PUBLISH = env.bool("ARCHIVE_ON_PUBLISH", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# How many reverse proxies in front of the app set X-Forwarded-For / X-Forwarded-Proto. With
# none (the default) those headers come from the client and are ignored: client addresses
# (rate limits, login lockouts, logs) are the socket's (config/client_ip.py), and a request
# is secure only if it reached the app over TLS.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# Off unless asked for: both bind every subdomain to HTTPS, and preloading (browsers' built-in
# list, hstspreload.org) cannot be taken back quickly. `check --deploy` warns until they are on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (docs/deploy.md). Nothing runs or styles inline: no template has an
# inline script, style element or attribute, or event handler; htmx's indicator styles are
# turned off (base.html); the API docs load their set-up script from a URL of their own. So
# there is no nonce either, which a cached public page could not renew for each reader.
# data: images are the icons Swagger UI's style sheet draws.
CONTENT_SECURITY_POLICY = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Who may frame the embeddable claim cards (/embed/claims/<id>/, embeds/): their policy's
# frame-ancestors, sources separated by commas ("https://news.example.org,'self'"). Every
# other page refuses to be framed (frame-ancestors 'none' above, X-Frame-Options: DENY).
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["*"])
# CSP_REPORT_ONLY sends the same policy as Content-Security-Policy-Report-Only: browsers
# report what it would refuse (in the console) and refuse nothing. For trying a change.
if env.bool("CSP_REPORT_ONLY", default=False):
    SECURE_CSP_REPORT_ONLY = CONTENT_SECURITY_POLICY
else:
    SECURE_CSP = CONTENT_SECURITY_POLICY

# Browser features the site never uses, turned off for every page (config/headers.py).
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
]

# The REST API (claims/api/). Anyone reads published data; writes need a token or a session
# and the model permission. Throttle rates look like "60/minute" (DRF's syntax).
REST_FRAMEWORK = {
    # Token first: an unauthenticated write then gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.ApiPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=20),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonThrottle",
        "claims.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)

# API tokens (tokens/): knox stores a digest of each key, never the key, and every token
# expires; API_TOKEN_TTL_DAYS is the longest life a token may be given (and the default).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
if API_TOKEN_TTL_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_TTL_DAYS must be at least 1: every token expires.")
KNOX_TOKEN_MODEL = "tokens.ApiToken"
# Knox's migrations make its own token table whatever KNOX_TOKEN_MODEL says; unused, its
# foreign key to users would still stop `flush` (PostgreSQL's TRUNCATE). Without migrations
# knox gets no table: its only model is swapped out.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    # The header the API has always documented: Authorization: Token <key>.
    "AUTH_HEADER_PREFIX": "Token",
}
# Claim matching (claims/matching.py): a match scoring at least CLAIM_MATCH_HIGH is the same
# claim, unless numbers, negation or names disagree; at least CLAIM_MATCH_POSSIBLE, worth a
# look. Tuned on tests/data/claim_matching_pairs.csv (make eval; docs/performance.md).
CLAIM_MATCH_HIGH = env.float("CLAIM_MATCH_HIGH", default=0.8)
CLAIM_MATCH_POSSIBLE = env.float("CLAIM_MATCH_POSSIBLE", default=0.6)
# The languages a claim's language is detected among when an editor leaves it blank
# (claims/languages.py): ISO 639-1 codes. Fewer languages detect faster, in less memory, and
# mistake less often; a claim in another language gets its tag from the editor.
CLAIM_LANGUAGES = env.list(
    "CLAIM_LANGUAGES",
    default=[
        "en",
        "es",
        "fr",
        "de",
        "pt",
        "it",
        "nl",
        "pl",
        "ru",
        "uk",
        "ar",
        "fa",
        "tr",
        "hi",
        "zh",
        "ja",
        "ko",
        "vi",
        "id",
        "tl",
    ],
)

SPECTACULAR_SETTINGS = {
    "TITLE": "Counterclaim API",
    "DESCRIPTION": (
        "Published claims, the evidence that refutes, supports or puts them in context, "
        "their sources and claimants. Reading needs no key; writing needs a token and the "
        "model permission. See docs/api.md for a guide."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "sources.models.Actor.Kind",
        "SourceKindEnum": "sources.models.Source.Kind",
        "WebhookEventEnum": "webhooks.models.EVENT_CHOICES",
    },
}

# Cross-origin reads only: any site may GET the API from a browser; writes stay same-origin.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
