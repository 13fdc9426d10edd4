"""What the browser tests share besides fixtures: logging in, running the queued renders,
screenshots (kept when AKUA_SCREENSHOT_DIR is set)."""

from __future__ import annotations

import os
from pathlib import Path

from installations.actions import run_render


def log_in(page, url: str) -> None:
    """Carol (the `cast` fixture's customer owner) logs in and sees her installations."""
    page.goto(f"{url}/login/")
    page.get_by_label("User name").fill("carol")
    page.get_by_label("Password").fill("carol-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Installations").wait_for()


def run_queued(queued: list[str]) -> None:
    """What the worker would do: run every queued render task."""
    while queued:
        run_render(queued.pop(0))


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    directory = os.environ.get("AKUA_SCREENSHOT_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=full_page)
