"""What decoding a body into its Go type does to it on a real server: every quantity is
parsed and written back in canonical form (`quantity.py`), and a ResourceList's values are
rounded up to milli precision. The fields are found in the kind's OpenAPI definition
(`swagger.quantity_fields`); custom resources keep their values as written.
"""

from __future__ import annotations

from . import quantity, swagger
from .errors import bad_request


def _walk(tree, value):
    if tree == "Q":
        return quantity.canonicalise(value)
    if tree == "RL":
        if isinstance(value, dict):
            return {k: quantity.round_up(v) for k, v in value.items()}
        return value
    if "[]" in tree:
        if isinstance(value, list):
            return [_walk(tree["[]"], item) if item is not None else item for item in value]
        return value
    if "{}" in tree:
        if isinstance(value, dict):
            return {k: _walk(tree["{}"], v) if v is not None else v for k, v in value.items()}
        return value
    if isinstance(value, dict):
        for key, sub in tree.items():
            if value.get(key) is not None:
                value[key] = _walk(sub, value[key])
    return value


def canonicalise(rt, obj: dict) -> None:
    """Quantities in canonical form, in place; 400 BadRequest for one that is not a quantity."""
    if not rt.builtin:
        return
    tree = swagger.quantity_fields(rt.group, rt.version, rt.kind)
    if not tree:
        return
    try:
        _walk(tree, obj)
    except quantity.QuantityError as e:
        raise bad_request(
            f'{rt.kind} in version "{rt.version}" cannot be handled as a {rt.kind}: {e}'
        ) from None
