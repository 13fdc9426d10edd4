"""Start Django for a benchmark: a throw-away AKUA_DATA_DIR, tasks inline, quiet logs."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(prefix: str) -> Path:
    """Point Akua at a new temporary data directory and call django.setup(); returns it."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["AKUA_DATA_DIR"] = str(data_dir)
    os.environ["AKUA_TASKS_SYNC"] = "true"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akua.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    logging.getLogger("django-q").setLevel(logging.WARNING)
    return data_dir
