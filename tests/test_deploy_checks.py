"""`manage.py check --deploy` is clean with the production variables README.md lists."""

import os

from tests.processes import python_in_repo

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    "AKUA_ENCRYPTION_KEY": "hc3MBcP8bq_OYXCRxEtV0ILPCyzwcH3mkfQZ9GN4Pnw=",
    "ALLOWED_HOSTS": "akua.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://akua.example.com",
    "SITE_URL": "https://akua.example.com",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def _check(tmp_path, **env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DJANGO_", "DATABASE_URL", "SITE_URL"))
    }
    environ.update(AKUA_DATA_DIR=str(tmp_path), **env)
    return python_in_repo("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=environ)


def test_production_variables_pass_every_deploy_check(tmp_path):
    done = _check(tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_without_them_the_checks_say_what_is_missing(tmp_path):
    done = _check(tmp_path, DEBUG="false", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert done.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in done.stderr + done.stdout


def test_a_malformed_proxy_header_names_the_setting(tmp_path):
    done = _check(tmp_path, **{**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"})
    assert done.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be HEADER,VALUE" in done.stderr
