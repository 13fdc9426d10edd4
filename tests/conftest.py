"""Shared pytest fixtures: an isolated AKUA_DATA_DIR per test run."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_repos(settings, tmp_path):
    """Every test gets its own repositories directory so nothing leaks between tests."""
    settings.REPOS_DIR = tmp_path / "repos"
    settings.REPOS_DIR.mkdir()
    yield
