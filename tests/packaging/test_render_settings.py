"""AKUA_RENDER_* in the environment set the sandbox's defaults of a server process at startup."""

from __future__ import annotations

import os
import subprocess

from tests.processes import python_in_repo

SHOW = (
    "import django; django.setup()\n"
    "from akua.packaging import default_limits\n"
    "from akua.packaging.sandbox.pool import POOL\n"
    "from akua.packaging.sandbox import _settings\n"
    "print(default_limits(), POOL.size, POOL.max_jobs, _settings['namespaces'])\n"
)


def _start(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "akua.settings",
        "AKUA_DATA_DIR": str(tmp_path),
        **env,
    }
    return python_in_repo("-c", SHOW, env=environ)


def test_the_environment_sets_the_limits_and_the_pool(tmp_path):
    proc = _start(
        tmp_path,
        AKUA_RENDER_MEMORY_MIB="3072",
        AKUA_RENDER_CPU_SECONDS="7",
        AKUA_RENDER_WALL_SECONDS="9",
        AKUA_RENDER_OUTPUT_MIB="16",
        AKUA_RENDER_RESOURCES="300",
        AKUA_RENDER_WARM_CHILDREN="2",
        AKUA_RENDER_PER_CHILD="1",
        AKUA_RENDER_NAMESPACES="false",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "Limits(memory_mib=3072, cpu_seconds=7, wall_seconds=9, output_mib=16, resources=300)"
        " 2 1 False"
    )


def test_the_defaults_without_settings(tmp_path):
    proc = _start(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "Limits(memory_mib=2048, cpu_seconds=15, wall_seconds=20, output_mib=64, resources=5000)"
        " 1 50 True"
    )


def test_a_memory_limit_the_helm_engine_cannot_start_in_is_refused_at_startup(tmp_path):
    proc = _start(tmp_path, AKUA_RENDER_MEMORY_MIB="1024")
    assert proc.returncode != 0
    assert "AKUA_RENDER_*: render limit memory_mib must be at least 1536 (MiB)" in proc.stderr
