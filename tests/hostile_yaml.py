"""YAML a stranger may send: used by the tests of every door that reads YAML."""

from __future__ import annotations


def bomb_yaml(levels: int = 9) -> str:
    """A few KiB of YAML whose aliases expand to 10**levels strings (a "billion laughs")."""
    lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


LOOP = "loop: &a [*a]\n"
DEEP = "deep:\n  " + "- " * 1000 + "x\n"
