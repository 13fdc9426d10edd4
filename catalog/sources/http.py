"""The one outbound HTTP call of source listing: GET with a timeout, errors in words."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from catalog.sources.base import SourceError

TIMEOUT = 15
MAX_BYTES = 32 * 2**20


class HTTPStatusError(SourceError):
    def __init__(self, message: str, status: int, headers):
        super().__init__(message)
        self.status = status
        self.headers = headers


def get(url: str, *, what: str, headers: dict | None = None) -> bytes:
    host = urlsplit(url).netloc or url
    request = urllib.request.Request(url, headers={"User-Agent": "akua", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        status = exc.code
        if status == 404:
            message = f"{what}: not found ({url} answered 404)"
        elif status in (401, 403):
            message = f"{what}: access refused by {host} (HTTP {status}); is it private?"
        else:
            message = f"{what}: {url} answered HTTP {status} {exc.reason}"
        raise HTTPStatusError(message, status, exc.headers) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = getattr(reason, "strerror", None) or str(reason)
        raise SourceError(f"{what}: could not reach {host}: {str(text).lower()}") from None
    except (TimeoutError, OSError) as exc:
        raise SourceError(f"{what}: could not reach {host}: {exc or 'timed out'}") from None
    if len(data) > MAX_BYTES:
        raise SourceError(f"{what}: the answer from {host} is larger than {MAX_BYTES // 2**20} MiB")
    return data


def get_json(url: str, *, what: str, headers: dict | None = None):
    data = get(url, what=what, headers=headers)
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise SourceError(f"{what}: {url} did not answer JSON") from None
