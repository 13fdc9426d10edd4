"""API failures as the API server words them: `ApiError.status()` is the `kind: Status` body.

The messages are the real server's, so clients print what they print against a cluster
(`deployments.apps "web" not found`, `the server could not find the requested resource`).
"""

from __future__ import annotations

from . import ssa


class ApiError(Exception):
    """An API failure; `status()` is the `kind: Status` body the server answers with."""

    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def status(self) -> dict:
        body = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details is not None:
            body["details"] = self.details
        return body


def not_served() -> ApiError:
    """An unserved group, version or resource: the real server's words, with empty details."""
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


def _about(rt, name: str, code: int, reason: str, message: str) -> ApiError:
    """A failure about one object: its details name it as the server does."""
    return ApiError(code, reason, message, {"name": name, "group": rt.group, "kind": rt.plural})


def not_found(rt, name: str) -> ApiError:
    return _about(rt, name, 404, "NotFound", f'{rt.qualified} "{name}" not found')


def namespace_not_found(namespace: str) -> ApiError:
    return ApiError(
        404,
        "NotFound",
        f'namespaces "{namespace}" not found',
        {"name": namespace, "kind": "namespaces"},
    )


def already_exists(rt, name: str) -> ApiError:
    return _about(rt, name, 409, "AlreadyExists", f'{rt.qualified} "{name}" already exists')


def modified(rt, name: str) -> ApiError:
    return _about(
        rt,
        name,
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {rt.qualified} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again",
    )


def invalid(rt, name: str, causes: list[tuple[str, str]]) -> ApiError:
    text = ", ".join(f"{f}: {m}" for f, m in causes)
    if len(causes) > 1:
        text = "[" + text + "]"
    return ApiError(
        422,
        "Invalid",
        f'{rt.qualified_kind} "{name}" is invalid: {text}',
        {
            "name": name,
            "group": rt.group,
            "kind": rt.kind,
            "causes": [
                {"reason": "FieldValueInvalid", "message": m, "field": f} for f, m in causes
            ],
        },
    )


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def method_not_allowed() -> ApiError:
    return ApiError(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
        {},
    )


def forbidden(message: str) -> ApiError:
    return ApiError(403, "Forbidden", message, {})


def conflict_error(rt, name: str, conflicts: list) -> ApiError:
    by_manager: dict[str, list] = {}
    for manager, path in conflicts:
        by_manager.setdefault(manager, []).append(ssa.format_path(path))
    n = len(conflicts)
    parts = []
    for manager, paths in by_manager.items():
        if len(paths) == 1:
            parts.append(f'conflict with "{manager}" using {rt.api_version}: {paths[0]}')
        else:
            parts.append(
                f'conflicts with "{manager}" using {rt.api_version}:\n'
                + "\n".join(f"- {p}" for p in paths)
            )
    message = f"Apply failed with {n} conflict{'s' if n > 1 else ''}: " + "\n".join(parts)
    causes = [
        {
            "reason": "FieldManagerConflict",
            "message": f'conflict with "{manager}" using {rt.api_version}',
            "field": ssa.format_path(path),
        }
        for manager, path in conflicts
    ]
    return ApiError(
        409,
        "Conflict",
        message,
        {"name": name, "group": rt.group, "kind": rt.plural, "causes": causes},
    )
