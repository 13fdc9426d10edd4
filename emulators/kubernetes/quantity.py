"""Kubernetes resource quantities (`resource.Quantity`) in their canonical form.

The API server parses every quantity and serialises it canonically, so `1000m` is stored
as `1`, `0.5` as `500m`, `1024Mi` as `1Gi` and `524288000` as `524288k`. The rules, from
apimachinery's `quantity.go`:

- A quantity is a signed decimal number and a suffix: binary SI (`Ki` … `Ei`), decimal SI
  (`n u m "" k M G T P E`) or a decimal exponent (`e3`, `E-2`); the suffix picks the format.
- Values are rounded up (away from zero) to nano precision (`0.1n` is `1n`).
- Binary quantities between -1024 and 1024, or with a fractional value, are written as
  decimal SI; others as the largest power of 1024 that divides them (`1536Mi`, not
  `1.5Gi`).
- Decimal quantities drop trailing zeros, then take the largest exponent that is a multiple
  of three and leaves an integer mantissa (`1.5k` is `1500`, `1500000` is `1500k`).
- Zero is `0`, whatever its suffix.

`round_up(text, scale=-3)` is what the server does to every value of a ResourceList
(`resources.limits`, `requests`, …): round up to milli precision, then canonicalise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PATTERN = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
_NUMBER = re.compile(r"^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$")
_EXPONENT = re.compile(r"^[eE]([-+]?[0-9]+)$")
_DECIMAL_SI = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_SI_SUFFIX = {exp: s for s, exp in _DECIMAL_SI.items()}
_BINARY_SI = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_BIN_SUFFIX = {n: s for s, n in _BINARY_SI.items()}
_NANO = 9  # digits after the point kept
_MAX_BINARY = 2**63 - 1


class QuantityError(ValueError):
    def __init__(self) -> None:
        super().__init__(f"quantities must match the regular expression '{PATTERN}'")


@dataclass(frozen=True)
class Quantity:
    """`unscaled * 10**-scale`, and the format its suffix chose."""

    unscaled: int
    scale: int
    format: str  # "DecimalSI", "BinarySI" or "DecimalExponent"

    def __str__(self) -> str:
        return canonical(self)


def _round_up(unscaled: int, scale: int, digits: int) -> tuple[int, int]:
    """Round away from zero to at most `digits` digits after the point."""
    if scale <= digits:
        return unscaled, scale
    factor = 10 ** (scale - digits)
    magnitude = -(-abs(unscaled) // factor)
    return (magnitude if unscaled >= 0 else -magnitude), digits


def parse(value) -> Quantity:
    """A quantity from its JSON form (a string, or a number); QuantityError when invalid."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise QuantityError()
    text = value if isinstance(value, str) else repr(value)
    text = text.strip()
    m = _NUMBER.match(text)
    if not text or m is None or not (m.group(2) or m.group(3)):
        raise QuantityError()
    sign, whole, fraction, suffix = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    unscaled = int((whole or "0") + fraction)
    scale = len(fraction)
    if suffix in _BINARY_SI:
        fmt = "BinarySI"
        unscaled *= 1024 ** _BINARY_SI[suffix]
    elif suffix in _DECIMAL_SI:
        fmt = "DecimalSI"
        scale -= _DECIMAL_SI[suffix]
    elif e := _EXPONENT.match(suffix):
        fmt = "DecimalExponent"
        scale -= int(e.group(1))
    else:
        raise QuantityError()
    if unscaled:
        unscaled, scale = _round_up(unscaled, scale, _NANO)
    if fmt == "BinarySI" and unscaled > _MAX_BINARY * 10**scale:
        unscaled, scale = _MAX_BINARY, 0  # binary quantities are capped at the int64 maximum
    if sign == "-":
        unscaled = -unscaled
    if fmt == "BinarySI" and unscaled and abs(unscaled) < 10 ** max(scale, 0):
        fmt = "DecimalSI"  # a binary quantity below one is decimal from the start
    return Quantity(unscaled, scale, fmt)


def canonical(q: Quantity) -> str:
    if q.unscaled == 0:
        return "0"
    fmt = q.format
    if fmt == "BinarySI":
        integral = q.scale <= 0 or q.unscaled % 10**q.scale == 0
        value = q.unscaled * 10 ** (-q.scale) if q.scale <= 0 else q.unscaled // 10**q.scale
        if not integral or -1024 < (value if integral else 0) < 1024:
            fmt = "DecimalSI"
        else:
            amount, power = value, 0
            while amount % 1024 == 0 and power < 6:
                amount //= 1024
                power += 1
            return f"{amount}{_BIN_SUFFIX.get(power, '')}"
    mantissa, exponent = q.unscaled, -q.scale
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    while exponent % 3:
        mantissa *= 10
        exponent -= 1
    if fmt == "DecimalExponent":
        return f"{mantissa}e{exponent}" if exponent else str(mantissa)
    while exponent > 18:  # beyond exa: keep the largest suffix
        mantissa *= 1000
        exponent -= 3
    return f"{mantissa}{_SI_SUFFIX[exponent]}"


def canonicalise(value) -> str:
    """The canonical text of a quantity given as a string or a number."""
    return canonical(parse(value))


def round_up(value, digits: int = 3) -> str:
    """Round up to `digits` decimal places (milli by default), then canonicalise."""
    q = parse(value)
    unscaled, scale = _round_up(q.unscaled, q.scale, digits)
    return canonical(Quantity(unscaled, scale, q.format))
