"""Django settings, read from the environment; the defaults are the embedded single-machine setup.

Embedded default: SQLite and repositories under AKUA_DATA_DIR (./.akua-data), django-q2 on
the ORM broker. Bigger installs set DATABASE_URL (PostgreSQL), AKUA_DATA_DIR on a shared
volume, SECRET_KEY and AKUA_ENCRYPTION_KEY.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import dj_database_url

from akua.env import ConfigError, env_bool, env_int, env_list, env_str, persistent_secret
from akua.packaging.sandbox.limits import Limits

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("AKUA_DATA_DIR", str(BASE_DIR / ".akua-data"))).resolve()
REPOS_DIR = DATA_DIR / "repos"
# The daily maintenance packs a repository once it has more loose objects than this.
REPO_MAINTAIN_LOOSE_OBJECTS = env_int("AKUA_REPO_MAINTAIN_LOOSE_OBJECTS", 16)
# What one push may hold (installations/git/limits.py, docs/git.md): history is never
# rewritten, so whatever a push gets in stays for good.
GIT_MAX_PACK_BYTES = env_int("AKUA_GIT_MAX_PACK_MB", 20) * 1024 * 1024
GIT_MAX_FILE_BYTES = env_int("AKUA_GIT_MAX_FILE_MB", 5) * 1024 * 1024
GIT_MAX_FILES = env_int("AKUA_GIT_MAX_FILES", 5000)
# A git request whose body stops arriving for this long is answered 408 (installations.git.http).
GIT_IDLE_SECONDS = env_int("AKUA_GIT_IDLE_SECONDS", 60)
# A step of a big chart's wizard posts two fields per input (the value and its `_fields`
# marker): Django's default of 1000 fields would refuse a step of 500 inputs. The body
# stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("AKUA_MAX_FORM_FIELDS", 20000)
# Connect to cluster servers in loopback, link-local and private ranges (clusters/addresses.py).
# On for the embedded demo (its emulator is 127.0.0.1); production should turn it off.
CLUSTER_ALLOW_PRIVATE = env_bool("AKUA_CLUSTER_ALLOW_PRIVATE", True)
# How long an apply waits for the Helm hooks of one phase to finish, as `helm install --timeout`
# (Helm's default, 5 minutes); the installation page shows the wait as it goes.
HOOK_TIMEOUT = env_int("AKUA_HOOK_TIMEOUT", 300)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or persistent_secret(
    DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50)
)
# Fernet key for secrets at rest (kubeconfigs, sensitive inputs). Never in git.
ENCRYPTION_KEY = env_str("AKUA_ENCRYPTION_KEY") or persistent_secret(
    DATA_DIR / "encryption_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# HTTPS: a SITE_URL starting with https:// turns on secure cookies and the redirect to
# https; each setting can still be set on its own. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https so Django sees the original scheme.
_HTTPS = SITE_URL.lower().startswith("https://")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if _proxy_header := env_list("SECURE_PROXY_SSL_HEADER", []):
    if len(_proxy_header) != 2:
        raise ConfigError(
            "SECURE_PROXY_SSL_HEADER must be HEADER,VALUE "
            f"(e.g. HTTP_X_FORWARDED_PROTO,https), got {','.join(_proxy_header)!r}"
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_q",
    "catalog",
    "installations",
    "wizard",
    "clusters",
    "marketplace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "akua.urls"
WSGI_APPLICATION = "akua.wsgi.application"
ASGI_APPLICATION = "akua.asgi.application"

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
            # Tags every app's pages share (state badges, short shas, tables): built in, so no
            # page loads them; not an app's own, so clusters' templates do not load
            # installations' tags. `{% load akua %}` still names the same library.
            "builtins": ["akua.templatetags.akua"],
            "libraries": {"akua": "akua.templatetags.akua"},
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'akua.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the worker share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The embedded default serves static/ straight from the app directories (no collectstatic
# step); production runs `manage.py collectstatic` and WhiteNoise serves STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# django-q2: the ORM broker is the embedded default; the same settings scale out by
# running more `qcluster` workers against the shared database.
Q_CLUSTER = {
    "name": "akua",
    "workers": env_int("AKUA_WORKERS", 2),
    "timeout": env_int("AKUA_TASK_TIMEOUT", 600),
    "retry": env_int("AKUA_TASK_TIMEOUT", 600) + 60,
    "max_attempts": 1,
    "orm": "default",
    "catch_up": False,
    "poll": 0.2,
    "ack_failures": True,
    "save_limit": 1000,
    "sync": env_bool("AKUA_TASKS_SYNC", False),
}

# The render sandbox (docs/security.md): what one render of package code may use, and how
# it is isolated. catalog.apps applies these to akua.packaging at startup.
_RENDER = Limits()
RENDER_LIMITS = {
    "memory_mib": env_int("AKUA_RENDER_MEMORY_MIB", _RENDER.memory_mib),
    "cpu_seconds": env_int("AKUA_RENDER_CPU_SECONDS", _RENDER.cpu_seconds),
    "wall_seconds": env_int("AKUA_RENDER_WALL_SECONDS", int(_RENDER.wall_seconds)),
    "output_mib": env_int("AKUA_RENDER_OUTPUT_MIB", _RENDER.output_mib),
    "resources": env_int("AKUA_RENDER_RESOURCES", _RENDER.resources),
}
try:
    Limits(**RENDER_LIMITS)
except ValueError as exc:
    raise ConfigError(f"AKUA_RENDER_*: {exc}") from None
# Off only where the kernel refuses unprivileged user namespaces and you accept Landlock
# and the rlimits alone (docs/security.md says what holds then).
RENDER_NAMESPACES = env_bool("AKUA_RENDER_NAMESPACES", True)
RENDER_WARM_CHILDREN = env_int("AKUA_RENDER_WARM_CHILDREN", 1)
RENDER_PER_CHILD = env_int("AKUA_RENDER_PER_CHILD", 50)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
